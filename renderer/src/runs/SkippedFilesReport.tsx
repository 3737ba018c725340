import { memo, useMemo } from 'react';
import type { SkippedFile } from '../../../electron/contract';
import { formatCount } from './run-labels';

/** Rows listed before "show all": a folder of 10,000 bad files should not freeze the page. */
const FIRST_ROWS = 200;

/**
 * The files the trainer did not use, and why (hidden files, unreadable or truncated images…),
 * grouped by reason, so the user can fix their dataset folder.
 */
export const SkippedFilesReport = memo(function SkippedFilesReport({ files }: { files: readonly SkippedFile[] }) {
  const reasons = useMemo(() => {
    const counts = new Map<string, number>();
    for (const f of files) counts.set(f.reason, (counts.get(f.reason) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]);
  }, [files]);
  if (files.length === 0) return null;
  return (
    <section className="run-panel" aria-labelledby="run-skipped-title">
      <h2 id="run-skipped-title">
        <span aria-hidden="true">⚠ </span>
        {formatCount(files.length)} file{files.length === 1 ? ' was' : 's were'} skipped
      </h2>
      <p className="run-muted">
        Training goes on without them. To use them, fix or remove them in the dataset folder and start a new run.
      </p>
      <ul className="run-skipped-reasons">
        {reasons.map(([reason, count]) => (
          <li key={reason}>
            {reason}: {formatCount(count)}
          </li>
        ))}
      </ul>
      <details>
        <summary>Show the files</summary>
        <div className="run-table-scroll">
          <table className="run-table">
            <caption className="run-visually-hidden">Skipped files and the reason for each</caption>
            <thead>
              <tr>
                <th scope="col">File (in the dataset folder)</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {files.slice(0, FIRST_ROWS).map((f) => (
                <tr key={f.path}>
                  <td>
                    <code>{f.path}</code>
                  </td>
                  <td>{f.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {files.length > FIRST_ROWS && (
          <p className="run-muted">
            The first {FIRST_ROWS} are listed; the run folder’s skipped.json has all {formatCount(files.length)}.
          </p>
        )}
      </details>
    </section>
  );
});
