import { useState } from 'react';
import type { RunSettings, RunSummary } from '@contract';
import { api } from '../api/api';
import { ErrorNotice } from '../components/ErrorNotice';
import { FactList, type Fact } from '../components/FactList';
import { ConfirmDialog } from './ConfirmDialog';
import { RerunLinks } from './compare/RerunLinks';
import { isActive, modelLabel, runStatusBadge } from './run-labels';
import { runServer } from './run-engine';
import { folderName, formatDateTime } from '../components/format';
import { StatusBadge } from '../components/StatusBadge';
import { useAsyncAction } from '../components/use-async-action';

/** The run's name, status, model and dataset, with the actions its status allows (stop, resume, results). */
export function RunHeader({
  summary,
  settings,
  started,
  batchSize,
  onSummary,
}: {
  summary: RunSummary;
  settings: RunSettings | null;
  started: Record<string, unknown> | null;
  /** The batch size in use (it changes when the trainer steps it down after running out of memory). */
  batchSize: number | null;
  /** The run's new summary after stop or resume (shows "stopping…" before the next event). */
  onSummary: (summary: RunSummary) => void;
}) {
  const [confirmStop, setConfirmStop] = useState(false);
  const stop = useAsyncAction();
  const resume = useAsyncAction();
  const { status } = summary;

  async function onStop() {
    const next = await stop.run(() => api().call('runs.stop', { id: summary.id }));
    if (next) {
      onSummary(next);
      setConfirmStop(false);
    }
  }

  async function onResume() {
    const next = await resume.run(() => api().call('runs.resume', { id: summary.id }));
    if (next) onSummary(next);
  }

  return (
    <header className="run-header">
      <div className="run-header-title">
        <h1 id="run-title">{summary.name}</h1>
        <StatusBadge {...runStatusBadge(status)} />
      </div>
      <FactList
        className="run-header-facts"
        facts={[
          {
            label: 'Model',
            value: (
              <>
                {modelLabel(summary.modelId, settings?.imgSize)} <code className="muted">{summary.modelId}</code>
              </>
            ),
          },
          {
            label: 'Dataset',
            title: summary.datasetPath,
            value: (
              <>
                {folderName(summary.datasetPath)} <span className="muted run-path">({summary.datasetPath})</span>
              </>
            ),
          },
          { label: 'Started', value: formatDateTime(summary.startedAt ?? summary.createdAt) },
          runServer(summary) !== null && { label: 'Runs on', value: `${runServer(summary)} (a GPU server, over SSH)` },
          ...deviceFacts(started, batchSize ?? settings?.batchSize),
        ]}
      />
      <div className="run-header-actions">
        {isActive(status) && (
          <button type="button" onClick={() => setConfirmStop(true)} disabled={status === 'stopping'}>
            <span aria-hidden="true">■ </span>
            {status === 'stopping' ? 'Stopping…' : 'Stop training'}
          </button>
        )}
        {(status === 'stopped' || status === 'failed') && summary.resumable && (
          <button type="button" className="primary" onClick={() => void onResume()} disabled={resume.busy}>
            <span aria-hidden="true">▶ </span>
            {resume.busy ? 'Resuming…' : 'Resume training'}
          </button>
        )}
        {status === 'finished' && (
          <a className="run-button-link primary" href={`#/runs/${encodeURIComponent(summary.id)}/results`}>
            See the results
          </a>
        )}
        <RerunLinks runId={summary.id} fromRunId={settings?.fromRunId} />
        <a href="#/runs">All runs</a>
      </div>
      {resume.error && <ErrorNotice error={resume.error} />}
      {confirmStop && (
        <ConfirmDialog
          title="Stop this training run?"
          confirmLabel="Stop training"
          busyLabel="Stopping…"
          busy={stop.busy}
          error={stop.error}
          onConfirm={() => void onStop()}
          onCancel={() => {
            stop.clearError();
            setConfirmStop(false);
          }}
        >
          <p>
            Training stops after the current step and saves a checkpoint, which takes a few seconds. You can resume it
            later from that checkpoint without losing finished work.
          </p>
        </ConfirmDialog>
      )}
    </header>
  );
}

/** Device, precision and batch size, once the trainer reported them. */
function deviceFacts(started: Record<string, unknown> | null, batch: number | 'auto' | undefined): Fact[] {
  const device = started?.device as { name?: unknown } | undefined;
  const precision = started?.precision;
  const facts: Fact[] = [];
  if (typeof device?.name === 'string') {
    facts.push({ label: 'Device', value: `${device.name}${typeof precision === 'string' ? `, ${precision}` : ''}` });
  }
  if (batch !== undefined) {
    facts.push({ label: 'Batch size', value: batch === 'auto' ? 'chosen automatically when training starts' : batch });
  }
  return facts;
}
