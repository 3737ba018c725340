import { useEffect, useRef, useState } from 'react';
import type { PredictionProgress, Predictions } from '@contract';
import { api } from '../../api/api';
import { useCall, useEvent } from '../../api/hooks';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FolderChooser, type FolderChooserWords } from '../../wizard/dataset/FolderChooser';
import { folderName, formatCount } from '../../components/format';
import { useAsyncAction } from '../../components/use-async-action';
import { PredictionHistory } from './PredictionHistory';
import { PredictionProgressView } from './PredictionProgressView';
import { PredictionsView } from './PredictionsView';
import { Panel } from '../../components/Panel';

const WORDS: FolderChooserWords = {
  label: 'Folder with new images',
  submit: 'Classify images',
  dialogTitle: 'Choose a folder of new images to classify',
};

/** The CSV's name, from its path on either OS. */
function fileOf(result: Predictions): string {
  return result.csvPath.split(/[\\/]/).pop() ?? '';
}

/**
 * Try the trained model: classify every image in a folder the model has not seen (runs.predict),
 * with the count, rate and time left while it works and a Cancel; then what it said about each
 * image. The run's earlier classifications are listed and open here again. A classification started
 * in another window, or before a reload, shows its progress too (`run.predictProgress`). The folder
 * is only read.
 */
export function TryModelPanel({ runId }: { runId: string }) {
  const [folder, setFolder] = useState('');
  const history = useCall('runs.predictions', { id: runId });
  /** The latest progress event of this run's classification, once one arrived. */
  const [live, setLive] = useState<PredictionProgress | null>(null);
  const [result, setResult] = useState<Predictions | null>(null);
  const [said, setSaid] = useState('');
  const classify = useAsyncAction();
  const open = useAsyncAction();
  const cancel = useAsyncAction();
  const resultHeading = useRef<HTMLHeadingElement>(null);
  /** Bumped when the user opens an earlier classification: focus follows once it is on screen. */
  const [opened, setOpened] = useState(0);
  useEffect(() => {
    if (opened) resultHeading.current?.focus(); // keyboard users land on what they opened
  }, [opened]);

  const running = live ? (live.state === 'running' ? live : null) : (history.data?.running ?? null);
  const working = classify.busy || running !== null;

  useEvent('run.predictProgress', (progress) => {
    if (progress.runId !== runId) return;
    const watched = running?.file === progress.file;
    setLive(progress);
    if (progress.state === 'running') return;
    history.reload();
    if (progress.state === 'cancelled') setSaid('Cancelled: no CSV file was kept.');
    // One this window did not start (another tab, or before a reload) opens when it is done.
    if (progress.state === 'finished' && watched && !classify.busy) void show(progress.file);
  });

  async function onChoose(path: string) {
    setResult(null);
    setSaid(`Classifying the images in ${path}…`);
    const value = await classify.run(async () => {
      const answer = await api().call('runs.predict', { id: runId, folder: path });
      if (!answer.ok) setSaid(answer.error.kind === 'cancelled' ? 'Cancelled: no CSV file was kept.' : '');
      return answer;
    });
    if (!value) return;
    setResult(value);
    setSaid(`Done: ${formatCount(value.classified)} of ${formatCount(value.total)} images classified.`);
  }

  async function show(file: string) {
    classify.clearError();
    const value = await open.run(() => api().call('runs.prediction', { id: runId, file }));
    if (!value) return;
    setResult(value);
    setSaid('');
    setOpened((n) => n + 1);
  }

  const failed = classify.error && classify.error.kind !== 'cancelled' ? classify.error : null;
  return (
    <Panel titleId="run-try-title" title="Try the model on new images" busy={working}>
      <p>
        Classify a folder of images the model has never seen (sub-folders are included). It runs on the processor in the
        same locked-down container as training; the folder is only read. The answers are also saved as a CSV file in the
        run folder.
      </p>
      <FolderChooser
        value={folder}
        onChange={setFolder}
        onChoose={(p) => void onChoose(p)}
        busy={working}
        words={WORDS}
      />
      <p role="status">{said}</p>
      {working && (
        <PredictionProgressView
          progress={running}
          cancelling={cancel.busy}
          onCancel={() => void cancel.run(() => api().call('runs.cancelPredict', { id: runId }))}
        />
      )}
      {failed && <ErrorNotice error={failed} />}
      {cancel.error && <ErrorNotice error={cancel.error} />}
      {open.error && <ErrorNotice error={open.error} />}
      {history.error && <ErrorNotice error={history.error} onRetry={history.reload} />}
      <PredictionHistory
        items={history.data?.items ?? []}
        shown={result ? fileOf(result) : null}
        onOpen={(file) => void show(file)}
        busy={open.busy}
      />
      {result && (
        <>
          <h3 id="run-predict-result-title" ref={resultHeading} tabIndex={-1}>
            {result.folder ? `Images in ${folderName(result.folder)}` : `Classification ${fileOf(result)}`}
          </h3>
          <PredictionsView runId={runId} result={result} />
        </>
      )}
    </Panel>
  );
}
