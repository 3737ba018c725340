import { useState } from 'react';
import { DOCKER_STOPPED_MESSAGE, type RunSummary } from '@contract';
import { api } from '../api/api';
import { ErrorNotice } from '../components/ErrorNotice';
import { folderName, formatCount, formatDuration, formatPercent, formatShortDate } from '../components/format';
import { ConfirmDialog } from './ConfirmDialog';
import { isActive, modelName, runDurationS, runStatusBadge } from './run-labels';
import { RunFailurePanel } from './RunFailurePanel';
import { StatusBadge } from '../components/StatusBadge';
import { useAsyncAction } from '../components/use-async-action';
import { useRunsList } from './use-runs-list';
import './runs.css';

/** All runs with status, model, dataset, best accuracy, duration; open, see results, delete. */
export function RunsList() {
  const { runs, error, reload, forget } = useRunsList();
  const [toDelete, setToDelete] = useState<RunSummary | null>(null);
  const del = useAsyncAction();

  async function onDelete() {
    if (!toDelete) return;
    const done = await del.run(() => api().call('runs.delete', { id: toDelete.id, confirm: true }));
    if (done) {
      forget(toDelete.id);
      setToDelete(null);
    }
  }

  return (
    <section className="runs-list" aria-labelledby="runs-title" aria-busy={!runs && !error}>
      <h1 id="runs-title">Runs</h1>
      <p className="lead">
        Every training run on this machine, newest first. Each is a folder you keep: open one to see its charts and log,
        or its results once it has finished.
      </p>
      {error && <ErrorNotice error={error} onRetry={reload} />}
      {!runs && !error && <p>Loading your runs…</p>}
      {runs && runs.length === 0 && (
        <div className="panel">
          <p>No runs yet. A run trains a model on a folder of your images; it appears here as soon as it starts.</p>
          <p>
            <a className="run-button-link primary" href="#/new/environment">
              Start a new run
            </a>
          </p>
        </div>
      )}
      {runs && runs.length > 0 && (
        <div className="run-table-scroll runs-table-wrap">
          <table className="run-table runs-table">
            <caption className="visually-hidden">Your training runs</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Model</th>
                <th scope="col">Dataset</th>
                <th scope="col" className="run-num">
                  Best accuracy
                </th>
                <th scope="col" className="run-num">
                  Duration
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <RunRow key={run.id} run={run} onDelete={() => setToDelete(run)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {toDelete && (
        <ConfirmDialog
          title={`Delete the run “${toDelete.name}”?`}
          confirmLabel="Delete run"
          busyLabel="Deleting…"
          destructive
          busy={del.busy}
          error={del.error}
          onConfirm={() => void onDelete()}
          onCancel={() => {
            del.clearError();
            setToDelete(null);
          }}
        >
          <p>
            This deletes the run’s folder: its checkpoints, metrics, log and exported model. Your dataset is not
            touched. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function RunRow({ run, onDelete }: { run: RunSummary; onDelete: () => void }) {
  const href = `#/runs/${encodeURIComponent(run.id)}`;
  const active = isActive(run.status);
  const noteId = `run-delete-note-${run.id}`;
  return (
    <tr>
      <th scope="row">
        <a href={href}>{run.name}</a>
        <div className="muted runs-created">{formatShortDate(run.createdAt)}</div>
      </th>
      <td>
        <StatusBadge {...runStatusBadge(run.status)} />
        {run.progress && active && (
          <div className="muted">
            epoch {run.progress.epoch} of {run.progress.epochs}
          </div>
        )}
        {run.failure && <RunFailurePanel runId={run.id} failure={run.failure} compact />}
        {run.status === 'stopped' && run.stopCause === 'docker' && (
          <div className="muted runs-stop-cause">{DOCKER_STOPPED_MESSAGE}</div>
        )}
      </td>
      <td className="runs-model" title={run.modelId}>
        {modelName(run.modelId)}
      </td>
      <td title={run.datasetPath}>{folderName(run.datasetPath)}</td>
      <td className="run-num runs-nowrap">{formatPercent(run.bestValTop1)}</td>
      <td className="run-num runs-nowrap">
        {runDurationS(run) === null ? '—' : formatDuration(runDurationS(run))}
        {run.epochs > 0 && <div className="muted">{formatCount(run.epochsDone)} epochs</div>}
      </td>
      <td>
        <div className="runs-actions">
          {run.status === 'finished' && <a href={`${href}/results`}>Results</a>}
          <button
            type="button"
            onClick={onDelete}
            disabled={active}
            aria-describedby={active ? noteId : undefined}
            aria-label={`Delete ${run.name}`}
          >
            Delete
          </button>
          {active && (
            <span id={noteId} className="visually-hidden">
              A run cannot be deleted while it is going; stop it first.
            </span>
          )}
        </div>
      </td>
    </tr>
  );
}
