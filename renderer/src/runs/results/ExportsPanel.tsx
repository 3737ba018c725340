import { useState } from 'react';
import { PARITY_WARN, type RunResults } from '@contract';
import { api, isDesktop } from '../../api/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useAsyncAction } from '../../components/use-async-action';
import { RunDownloads } from './RunDownloads';
import { Panel } from '../../components/Panel';
import { DataTable, type Column } from '../../components/DataTable';

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
    <Panel titleId="run-exports-title" title="Exported model and files">
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
        <DataTable
          caption="Exported files"
          className="run-table"
          columns={EXPORT_COLUMNS}
          rows={results.exports}
          rowKey={(e) => e.path}
        />
      )}
    </Panel>
  );
}

type Export = RunResults['exports'][number];

const EXPORT_COLUMNS: Column<Export>[] = [
  { key: 'format', header: 'Format', cell: (e) => e.format },
  // The name alone (the run folder is printed above): a full path broke mid-word ("labels.jso / n").
  {
    key: 'file',
    header: 'File',
    cellTitle: (e) => e.path,
    cell: (e) => <code className="run-file-name">{fileName(e.path)}</code>,
  },
  {
    key: 'parity',
    header: 'Matches the trained model',
    cell: (e) => (MODEL_FORMATS.has(e.format) ? parityText(e) : '— (not a model)'),
  },
];

/** The last part of a path, with either separator: "/runs/r1/export/labels.json" → "labels.json". */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** Formats that hold the model (the others are its labels and preprocessing). */
const MODEL_FORMATS = new Set(['onnx', 'torchscript']);

/**
 * The parity check in words: the export vs the trained model (eager, fp32) on the run's own validation
 * images: largest difference in probabilities and in logits, and how often the first guess agrees.
 * Flagged above PARITY_WARN in probability. Older runs recorded only the probability difference.
 */
function parityText(e: Export): string {
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
