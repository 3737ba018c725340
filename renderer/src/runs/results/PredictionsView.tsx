import type { Prediction, Predictions } from '@contract';
import { isDesktop } from '../../api/api';
import { DatasetThumbnail } from '../../wizard/dataset/DatasetThumbnail';
import { formatCount, formatPercent } from '../../components/format';
import { DownloadLink } from './RunDownloads';
import { AttentionControls, useAttentionView, type AttentionView } from './attention/AttentionControls';
import { AttentionOverlay } from './attention/AttentionOverlay';

/**
 * One classification of a folder (just made, or an earlier one opened from the list): how many
 * images each class got, and what the model says about each image, with a preview when the folder
 * is known and still there.
 */
export function PredictionsView({ runId, result }: { runId: string; result: Predictions }) {
  const [view, setView] = useAttentionView();
  if (result.total === 0) {
    return (
      <p>
        No images were found in <code className="run-path">{result.folder}</code>. Choose a folder with JPEG, PNG, WebP,
        BMP, GIF or TIFF files in it or in its sub-folders.
      </p>
    );
  }
  const unreadable = result.total - result.classified;
  const withMaps = result.rows.filter((r) => r.attention);
  return (
    <>
      <p>
        <strong>
          {formatCount(result.classified)} of {formatCount(result.total)} images classified
        </strong>
        {result.durationS !== null && ` in ${result.durationS} s`}
        {result.device && ` on ${result.device}`}
        {unreadable > 0 && `; ${formatCount(unreadable)} could not be read (see the table)`}. Saved as{' '}
        <code className="run-path">{result.csvPath}</code>
        {!isDesktop() && (
          <>
            {' '}
            <DownloadLink runId={runId} file={`predictions/${result.csvPath.split(/[\\/]/).pop() ?? ''}`} />
          </>
        )}
      </p>
      <ul className="run-predicted-classes" aria-label="Images per predicted class">
        {result.byClass.map((c) => (
          <li key={c.label}>
            {c.label}: <strong>{formatCount(c.count)}</strong>
          </li>
        ))}
      </ul>
      {withMaps.length > 0 && result.folder && (
        <>
          <AttentionControls
            view={view}
            onChange={setView}
            distilled={withMaps.some((r) => r.attention?.dist !== undefined)}
          />
          {withMaps.length < result.classified && (
            <p className="muted">Maps are made for the first 200 images of a folder only.</p>
          )}
        </>
      )}
      <div className="run-table-scroll">
        <table className="run-table">
          <caption className="visually-hidden">What the model says about each image</caption>
          <thead>
            <tr>
              <th scope="col">Image</th>
              <th scope="col">Class</th>
              <th scope="col" className="run-num">
                Confidence
              </th>
              <th scope="col">Next most likely</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row) => (
              <PredictionRow key={row.file} row={row} folder={result.folder} view={view} />
            ))}
          </tbody>
        </table>
      </div>
      {result.truncated && (
        <p className="muted">
          The first {formatCount(result.rows.length)} images are shown; all {formatCount(result.total)} are in the CSV
          file.
        </p>
      )}
    </>
  );
}

/** One image: its preview (fetched when it scrolls into view) and what the model says about it. */
function PredictionRow({ row, folder, view }: { row: Prediction; folder: string; view: AttentionView }) {
  if (row.error !== null || row.predicted === null) {
    return (
      <tr>
        <td>
          <code className="run-path">{row.file}</code>
        </td>
        <td colSpan={3}>⚠ Not classified: {row.error ?? 'no answer'}</td>
      </tr>
    );
  }
  const others = row.topK.slice(1, 3);
  return (
    <tr>
      <td>
        <span className="run-prediction-image">
          {folder && (
            <span className="attention-frame">
              <DatasetThumbnail root={folder} file={row.file} alt={row.file} />
              {view.shown && row.attention && (
                <AttentionOverlay map={row.attention} token={view.token} opacity={view.opacity} />
              )}
            </span>
          )}
          <code className="run-path">{row.file}</code>
        </span>
      </td>
      <td>{row.predicted}</td>
      <td className="run-num">{formatPercent(row.confidence)}</td>
      <td>{others.length ? others.map((o) => `${o.label} ${formatPercent(o.probability)}`).join(', ') : '—'}</td>
    </tr>
  );
}
