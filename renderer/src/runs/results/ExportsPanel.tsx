import { useState } from 'react';
import { PARITY_WARN, type RunResults } from '../../../../electron/contract';
import { api, isDesktop } from '../../api/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useAsyncAction } from '../use-async-action';
import { RunDownloads } from './RunDownloads';

/**
 * Where the trained model and its files are: the run folder (opened in the file manager on the
 * desktop; downloaded as files or a zip in a browser) and each exported format with its parity check.
 */
export function ExportsPanel({ runId, results }: { runId: string; results: RunResults }) {
  const open = useAsyncAction();
  const [opened, setOpened] = useState<{ path: string; opened: boolean } | null>(null);

  async function onOpen() {
    const value = await open.run(() => api().call('runs.openFolder', { id: runId }));
    if (value) setOpened(value);
  }

  return (
    <section className="panel" aria-labelledby="run-exports-title">
      <h2 id="run-exports-title">Exported model and files</h2>
      <p>
        Everything about this run is in its folder: <code className="run-path">{results.folder}</code>
      </p>
      {isDesktop() ? (
        <p>
          <button type="button" onClick={() => void onOpen()} disabled={open.busy}>
            Open the run folder
          </button>{' '}
          <span role="status">
            {opened &&
              (opened.opened
                ? 'Opened in your file manager.'
                : `This browser cannot open folders on the training machine; the folder is ${opened.path}`)}
          </span>
        </p>
      ) : (
        <RunDownloads runId={runId} />
      )}
      {open.error && <ErrorNotice error={open.error} />}
      {results.exports.length === 0 ? (
        <p className="muted">No exported model: the export step did not write any file (see the log).</p>
      ) : (
        <table className="run-table">
          <caption className="visually-hidden">Exported files</caption>
          <thead>
            <tr>
              <th scope="col">Format</th>
              <th scope="col">File</th>
              <th scope="col">Matches the trained model</th>
            </tr>
          </thead>
          <tbody>
            {results.exports.map((e) => (
              <tr key={e.path}>
                <td>{e.format}</td>
                <td>
                  <code className="run-path">{e.path}</code>
                </td>
                <td>{MODEL_FORMATS.has(e.format) ? parityText(e) : '— (not a model)'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Formats that hold the model (the others are its labels and preprocessing). */
const MODEL_FORMATS = new Set(['onnx', 'torchscript']);

/**
 * The parity check in words: the export vs the trained model (eager, fp32) on the run's own validation
 * images: largest difference in probabilities and in logits, and how often the first guess agrees.
 * Flagged above PARITY_WARN in probability. Older runs recorded only the probability difference.
 */
function parityText(e: RunResults['exports'][number]): string {
  const diff = e.parity?.maxAbsProbDiff ?? e.parityMaxAbsDiff;
  if (diff === null) return 'not checked';
  const p = e.parity;
  let text = `largest difference in probability ${diff.toExponential(1)}`;
  if (p?.maxAbsLogitDiff != null) text += `, in logits ${p.maxAbsLogitDiff.toExponential(1)}`;
  if (p?.top1Agreement != null) text += `; same first guess for ${(p.top1Agreement * 100).toFixed(1)} %`;
  if (p?.images != null) text += ` of ${p.images} ${p.inputs === 'random' ? 'random inputs' : 'validation images'}`;
  return diff <= PARITY_WARN
    ? `✓ yes (${text})`
    : `⚠ differs by more than ${PARITY_WARN.toExponential(0)} in probability (${text}): check it before relying on it`;
}
