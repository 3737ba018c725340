import { useState } from 'react';
import type { Prediction, Predictions } from '../../../../electron/contract';
import { api, isDesktop } from '../../api/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { DatasetThumbnail } from '../../wizard/dataset/DatasetThumbnail';
import { FolderChooser, type FolderChooserWords } from '../../wizard/dataset/FolderChooser';
import { formatCount, formatPercent } from '../run-labels';
import { useAsyncAction } from '../use-async-action';
import { DownloadLink } from './RunDownloads';

const WORDS: FolderChooserWords = {
  label: 'Folder with new images',
  submit: 'Classify images',
  dialogTitle: 'Choose a folder of new images to classify',
};

/**
 * Try the trained model: classify every image in a folder the model has not seen (runs.predict),
 * then show what it said about each, with how sure it was. The folder is only read.
 */
export function TryModelPanel({ runId }: { runId: string }) {
  const [folder, setFolder] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const [result, setResult] = useState<Predictions | null>(null);
  const classify = useAsyncAction();

  async function onChoose(path: string) {
    setAsked(path);
    setResult(null);
    const value = await classify.run(() => api().call('runs.predict', { id: runId, folder: path }));
    if (value) setResult(value);
  }

  return (
    <section className="run-panel" aria-labelledby="run-try-title" aria-busy={classify.busy}>
      <h2 id="run-try-title">Try the model on new images</h2>
      <p>
        Classify a folder of images the model has never seen (sub-folders are included). It runs on the processor in the
        same locked-down container as training; the folder is only read. The answers are also saved as a CSV file in the
        run folder.
      </p>
      <FolderChooser
        value={folder}
        onChange={setFolder}
        onChoose={(p) => void onChoose(p)}
        busy={classify.busy}
        words={WORDS}
      />
      <p role="status">
        {classify.busy && asked
          ? `Classifying the images in ${asked}… a few seconds for a few images, minutes for thousands.`
          : ''}
      </p>
      {classify.error && <ErrorNotice error={classify.error} />}
      {result && <PredictionsView runId={runId} result={result} />}
    </section>
  );
}

function PredictionsView({ runId, result }: { runId: string; result: Predictions }) {
  if (result.total === 0) {
    return (
      <p>
        No images were found in <code className="run-path">{result.folder}</code>. Choose a folder with JPEG, PNG, WebP,
        BMP, GIF or TIFF files in it or in its sub-folders.
      </p>
    );
  }
  const unreadable = result.total - result.classified;
  return (
    <>
      <p>
        <strong>
          {formatCount(result.classified)} of {formatCount(result.total)} images classified
        </strong>{' '}
        in {result.durationS} s{unreadable > 0 && `; ${formatCount(unreadable)} could not be read (see the table)`}.
        Saved as <code className="run-path">{result.csvPath}</code>
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
      <div className="run-table-scroll">
        <table className="run-table">
          <caption className="run-visually-hidden">What the model says about each image</caption>
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
              <PredictionRow key={row.file} row={row} folder={result.folder} />
            ))}
          </tbody>
        </table>
      </div>
      {result.truncated && (
        <p className="run-muted">
          The first {formatCount(result.rows.length)} images are shown; all {formatCount(result.total)} are in the CSV
          file.
        </p>
      )}
    </>
  );
}

/** One image: its preview (fetched when it scrolls into view) and what the model says about it. */
function PredictionRow({ row, folder }: { row: Prediction; folder: string }) {
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
          <DatasetThumbnail root={folder} file={row.file} alt={row.file} />
          <code className="run-path">{row.file}</code>
        </span>
      </td>
      <td>{row.predicted}</td>
      <td className="run-num">{formatPercent(row.confidence)}</td>
      <td>{others.length ? others.map((o) => `${o.label} ${formatPercent(o.probability)}`).join(', ') : '—'}</td>
    </tr>
  );
}
