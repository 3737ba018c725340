import type { PredictionRecord } from '@contract';
import { folderName, formatCount, formatDateTime } from '../../components/format';

/**
 * The run's earlier classifications (the CSVs of its predictions/ folder), newest first; each opens
 * in the panel as it was shown right after classifying.
 */
export function PredictionHistory({
  items,
  shown,
  onOpen,
  busy,
}: {
  items: PredictionRecord[];
  /** The file shown below, if it is one of these. */
  shown: string | null;
  onOpen: (file: string) => void;
  busy: boolean;
}) {
  if (items.length === 0) return null;
  return (
    <div className="run-predict-history">
      <h3 id="run-predict-history-title">Earlier classifications</h3>
      <ul aria-labelledby="run-predict-history-title">
        {items.map((item) => {
          const where = item.folder ? folderName(item.folder) : 'a folder';
          return (
            <li key={item.file}>
              <button
                type="button"
                className="run-link-button"
                onClick={() => onOpen(item.file)}
                aria-disabled={busy ? 'true' : undefined}
                aria-current={shown === item.file ? 'true' : undefined}
                title={item.folder ?? item.file}
              >
                {where}, {formatDateTime(item.createdAt)}
              </button>{' '}
              <span className="muted">
                {formatCount(item.classified)} of {formatCount(item.total)} images classified
                {item.durationS !== null && ` in ${item.durationS} s`}
                {shown === item.file && ' (shown below)'}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
