import type { DatasetScan } from '../../../../electron/contract';
import { formatCount } from '../wizard-format';

const SHOWN = 200;

/** Reasons with their counts, most common first: "12 × not an image". */
function countByReason(skipped: DatasetScan['skipped']): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const file of skipped) counts.set(file.reason, (counts.get(file.reason) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** The skipped files, grouped by reason and listed on request (capped: a folder may hold thousands). */
export function SkippedFiles({ skipped }: { skipped: DatasetScan['skipped'] }) {
  if (skipped.length === 0) return null;
  return (
    <details className="skipped-files">
      <summary>Show skipped files ({formatCount(skipped.length)})</summary>
      <ul className="reason-counts">
        {countByReason(skipped).map(([reason, count]) => (
          <li key={reason}>
            {formatCount(count)} × {reason}
          </li>
        ))}
      </ul>
      <ul className="path-list">
        {skipped.slice(0, SHOWN).map((file) => (
          <li key={file.path}>
            <code>{file.path}</code> — {file.reason}
          </li>
        ))}
      </ul>
      {skipped.length > SHOWN && <p>and {formatCount(skipped.length - SHOWN)} more.</p>}
    </details>
  );
}
