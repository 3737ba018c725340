import type { DatasetScan, SkipCode } from '@contract';
import { formatCount } from '../../components/format';

// Why files were left out, in a few words (each file also carries the core's full reason).
const REASON: Record<SkipCode, string> = {
  hidden: 'hidden or system files',
  not_image: 'not images',
  corrupt: 'damaged or not images inside',
  truncated: 'cut off',
  too_large: 'too large',
  empty: 'empty',
  unreadable: 'unreadable',
  broken_link: 'broken links',
  link_outside: 'links to files outside the folder',
  link_not_followed: 'links to folders (not followed)',
  not_in_class: 'outside a class folder',
  unused_folder: 'unused folders',
  empty_class: 'class folders without usable images',
};

/**
 * The left-out files: counted by reason, and listed on request with each file's reason. The core
 * sends the first 200 and the total, so even a folder with thousands stays quick.
 */
export function SkippedFiles({ scan }: { scan: DatasetScan }) {
  if (scan.skippedTotal === 0) return null;
  const more = scan.skippedTotal - scan.skipped.length;
  return (
    <details className="skipped-files">
      <summary>Show left-out files ({formatCount(scan.skippedTotal)})</summary>
      <ul className="reason-counts" aria-label="Reasons files were left out">
        {scan.skippedByCode.map(({ code, count }) => (
          <li key={code}>
            {formatCount(count)} × {REASON[code]}
          </li>
        ))}
      </ul>
      <ul className="path-list" aria-label="Left-out files">
        {scan.skipped.map((file) => (
          <li key={file.path}>
            <code>{file.path}</code> — {file.reason}
          </li>
        ))}
      </ul>
      {more > 0 && <p>and {formatCount(more)} more.</p>}
    </details>
  );
}
