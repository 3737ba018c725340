import type { DatasetScan, DatasetWarning } from '@contract';
import { StatusBadge } from '../../components/StatusBadge';
import { SkippedFiles } from './SkippedFiles';
import { Panel } from '../../components/Panel';

// A short title per kind; the core's message says exactly what was found.
const TITLE: Record<DatasetWarning['code'], string> = {
  no_images: 'No usable images',
  one_class: 'Only one class',
  val_class_unknown: 'Validation classes missing from training',
  skipped_files: 'Some files are left out',
  tiny_class: 'Very small classes',
  empty_class: 'Classes that need images',
  imbalance: 'Classes of very different sizes',
  duplicates_across_classes: 'The same image in different classes',
  duplicates_across_split: 'The same image in training and validation',
  small_images: 'Very small images',
  few_images: 'Few images in all',
  nested_folders: 'Sub-folders counted in their class',
};

/** One warning: how serious, what was found, what to do, and a few affected files or classes. */
function WarningItem({ warning, scan, index }: { warning: DatasetWarning; scan: DatasetScan; index: number }) {
  const titleId = `dataset-warning-${index}`;
  const blocker = warning.severity === 'blocker';
  // Sub-folders merged into a class are often intended: a note, not a warning.
  const note = warning.code === 'nested_folders';
  return (
    <li className="dataset-warning" aria-labelledby={titleId}>
      <StatusBadge
        className="check-badge"
        tone={blocker ? 'error' : note ? 'info' : 'warn'}
        label={blocker ? 'Blocking' : note ? 'Note' : 'Warning'}
      />
      <div>
        <h3 id={titleId} className="check-title">
          {TITLE[warning.code]}
        </h3>
        <p>{warning.message}</p>
        {warning.fix && (
          <p>
            <strong>What you can do: </strong>
            {warning.fix}
          </p>
        )}
        {warning.code === 'skipped_files' ? (
          <SkippedFiles scan={scan} />
        ) : (
          warning.examples.length > 0 && (
            <details>
              <summary>
                Examples ({warning.examples.length}
                {warning.count > warning.examples.length ? ` of ${warning.count}` : ''})
              </summary>
              <ul className="path-list">
                {warning.examples.map((path) => (
                  <li key={path}>
                    <code>{path}</code>
                  </li>
                ))}
              </ul>
            </details>
          )
        )}
      </div>
    </li>
  );
}

/** What deserves a look before training, blockers first; the folder is never changed, so fixes are the user's. */
export function DatasetWarnings({ scan }: { scan: DatasetScan }) {
  const { warnings } = scan;
  // Hidden files (.DS_Store, Thumbs.db) are left out without a warning; their list is still offered.
  const unlistedSkips = scan.skippedTotal > 0 && !warnings.some((w) => w.code === 'skipped_files');
  return (
    <Panel titleId="warnings-title" title="Things to look at">
      {warnings.length === 0 ? (
        <p>
          <StatusBadge tone="ok" label="No problems found" /> The classes look usable as they are.
        </p>
      ) : (
        <ul className="checklist" aria-label="Dataset warnings">
          {warnings.map((warning, index) => (
            <WarningItem key={`${warning.code}-${index}`} warning={warning} scan={scan} index={index} />
          ))}
        </ul>
      )}
      {unlistedSkips && <SkippedFiles scan={scan} />}
    </Panel>
  );
}
