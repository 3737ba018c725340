import { memo, useMemo } from 'react';
import type { SkippedFile } from '@contract';
import { formatCount } from '../components/format';
import { DataTable, type Column } from '../components/DataTable';
import { Panel } from '../components/Panel';

/** Rows listed before "show all": a folder of 10,000 bad files should not freeze the page. */
const FIRST_ROWS = 200;

const COLUMNS: Column<SkippedFile>[] = [
  { key: 'path', header: 'File (in the dataset folder)', cell: (f) => <code>{f.path}</code> },
  { key: 'reason', header: 'Reason', cell: (f) => f.reason },
];

/**
 * The files the trainer did not use, and why (hidden files, unreadable or truncated images…),
 * grouped by reason, so the user can fix their dataset folder. `total` counts them all, as the
 * Dataset step's scan and report.md do (the trainer's event lists the first 1,000).
 */
export const SkippedFilesReport = memo(function SkippedFilesReport({
  files,
  total = files.length,
}: {
  files: readonly SkippedFile[];
  total?: number;
}) {
  const reasons = useMemo(() => {
    const counts = new Map<string, number>();
    for (const f of files) counts.set(f.reason, (counts.get(f.reason) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]);
  }, [files]);
  const count = Math.max(total, files.length);
  if (count === 0) return null;
  return (
    <Panel
      titleId="run-skipped-title"
      title={
        <>
          <span aria-hidden="true">⚠ </span>
          {formatCount(count)} file{count === 1 ? ' was' : 's were'} left out
        </>
      }
      description="Training goes on without them. To use them, fix or remove them in the dataset folder and start a new run."
    >
      <ul className="run-skipped-reasons">
        {reasons.map(([reason, count]) => (
          <li key={reason}>
            {reason}: {formatCount(count)}
          </li>
        ))}
      </ul>
      <details>
        <summary>Show the files</summary>
        <DataTable
          caption="Skipped files and the reason for each"
          className="run-table"
          scroll
          columns={COLUMNS}
          rows={files.slice(0, FIRST_ROWS)}
          rowKey={(f) => f.path}
        />
        {count > Math.min(FIRST_ROWS, files.length) && (
          <p className="muted">
            The first {formatCount(Math.min(FIRST_ROWS, files.length))} are listed; the run folder’s skipped.json has
            all {formatCount(count)}.
          </p>
        )}
      </details>
    </Panel>
  );
});
