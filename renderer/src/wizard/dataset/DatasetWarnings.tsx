import type { DatasetScan, DatasetWarning } from '../../../../electron/contract';
import { StatusBadge } from '../StatusBadge';
import { SkippedFiles } from './SkippedFiles';

const TITLE: Record<DatasetWarning['code'], string> = {
  skipped_files: 'Some files were skipped',
  tiny_class: 'Very small classes',
  empty_class: 'Empty classes',
  imbalance: 'Classes of very different sizes',
  duplicates_across_classes: 'The same image in different classes',
  duplicates_across_split: 'The same image in training and validation',
  small_images: 'Very small images',
  few_images: 'Few images in all',
};

/** One warning: what was found, what to do, and a few affected files. */
function WarningItem({ warning, scan }: { warning: DatasetWarning; scan: DatasetScan }) {
  return (
    <li className="dataset-warning">
      <StatusBadge tone="warning" />
      <div>
        <h3 className="check-title">{TITLE[warning.code]}</h3>
        <p>{warning.message}</p>
        {warning.fix && (
          <p>
            <strong>What you can do: </strong>
            {warning.fix}
          </p>
        )}
        {warning.code === 'skipped_files' ? (
          <SkippedFiles skipped={scan.skipped} />
        ) : (
          warning.examples.length > 0 && (
            <details>
              <summary>Examples ({warning.examples.length})</summary>
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

/** What deserves a look before training; the folder itself is never changed, so fixes are the user's. */
export function DatasetWarnings({ scan }: { scan: DatasetScan }) {
  const warnings = [...scan.warnings];
  // Skipped files without their own warning still get their list.
  if (scan.skipped.length > 0 && !warnings.some((w) => w.code === 'skipped_files')) {
    warnings.unshift({
      code: 'skipped_files',
      message: `${scan.skipped.length} files are not used for training.`,
      examples: [],
    });
  }
  return (
    <section className="panel" aria-labelledby="warnings-title">
      <h2 id="warnings-title">Things to look at</h2>
      {warnings.length === 0 ? (
        <p>
          <StatusBadge tone="ok" label="No problems found" /> Every file was read and the classes look balanced.
        </p>
      ) : (
        <ul className="checklist" aria-label="Dataset warnings">
          {warnings.map((warning) => (
            <WarningItem key={warning.code} warning={warning} scan={scan} />
          ))}
        </ul>
      )}
    </section>
  );
}
