import { useState } from 'react';
import { DOCKER_STOPPED_MESSAGE, type RunSummary } from '@contract';
import { api } from '../api/api';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorNotice } from '../components/ErrorNotice';
import { folderName, formatDuration, formatPercent, formatShortDate, plural } from '../components/format';
import { ConfirmDialog } from './ConfirmDialog';
import { isActive, modelName, runDurationS, runStatusBadge } from './run-labels';
import { runServer } from './run-engine';
import { RunFailurePanel } from './RunFailurePanel';
import { StatusBadge } from '../components/StatusBadge';
import { useAsyncAction } from '../components/use-async-action';
import { CompareBar, CompareCheckbox, MAX_COMPARED, useCompareSelection } from './compare/CompareSelection';
import { useRunsList } from './use-runs-list';
import './runs.css';

/** All runs with status, model, dataset, best accuracy, duration; open, see results, delete. */
export function RunsList() {
  const { runs, error, reload, forget } = useRunsList();
  const [toDelete, setToDelete] = useState<RunSummary | null>(null);
  const del = useAsyncAction();
  const compare = useCompareSelection(runs);

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
      {runs && runs.length > 1 && <CompareBar ordered={compare.ordered} />}
      {runs && runs.length > 0 && (
        <div className="run-table-scroll runs-table-wrap">
          <DataTable
            caption="Your training runs"
            className="run-table runs-table"
            columns={[
              {
                key: 'select',
                header: <span className="visually-hidden">Select to compare</span>,
                cell: (run) => (
                  <CompareCheckbox
                    run={run}
                    checked={compare.selected.has(run.id)}
                    full={compare.ordered.length >= MAX_COMPARED}
                    onToggle={compare.toggle}
                  />
                ),
              },
              ...runColumns((run) => setToDelete(run)),
            ]}
            rows={runs}
            rowKey={(run) => run.id}
          />
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

/** The list's columns; `onDelete` asks to delete a run (the dialog confirms). */
function runColumns(onDelete: (run: RunSummary) => void): Column<RunSummary>[] {
  return [
    {
      key: 'run',
      header: 'Run',
      rowHeader: true,
      cell: (run) => (
        <>
          <a href={runHref(run)}>{run.name}</a>
          <div className="muted runs-created">
            {formatShortDate(run.createdAt)}
            {runServer(run) !== null && ` · on ${runServer(run)}`}
          </div>
        </>
      ),
    },
    { key: 'status', header: 'Status', cell: (run) => <RunStatusCell run={run} /> },
    {
      key: 'model',
      header: 'Model',
      cellClassName: 'runs-model',
      cellTitle: (run) => run.modelId,
      cell: (run) => modelName(run.modelId),
    },
    {
      key: 'dataset',
      header: 'Dataset',
      cellClassName: 'runs-dataset',
      cellTitle: (run) => run.datasetPath,
      cell: (run) => folderName(run.datasetPath),
    },
    {
      key: 'best',
      header: 'Best accuracy',
      className: 'run-num',
      cellClassName: 'runs-nowrap',
      cell: (run) => formatPercent(run.bestValTop1),
    },
    {
      key: 'duration',
      header: 'Duration',
      className: 'run-num',
      cellClassName: 'runs-nowrap',
      cell: (run) => (
        <>
          {runDurationS(run) === null ? '—' : formatDuration(runDurationS(run))}
          {run.epochs > 0 && <div className="muted">{plural(run.epochsDone, 'epoch')}</div>}
        </>
      ),
    },
    {
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      cell: (run) => <RunActions run={run} onDelete={() => onDelete(run)} />,
    },
  ];
}

function runHref(run: RunSummary): string {
  return `#/runs/${encodeURIComponent(run.id)}`;
}

function RunStatusCell({ run }: { run: RunSummary }) {
  return (
    <>
      <StatusBadge {...runStatusBadge(run.status)} />
      {run.progress && isActive(run.status) && (
        <div className="muted">
          epoch {run.progress.epoch} of {run.progress.epochs}
        </div>
      )}
      {run.failure && <RunFailurePanel runId={run.id} failure={run.failure} compact />}
      {run.status === 'stopped' && run.stopCause === 'docker' && (
        <div className="muted runs-stop-cause">{DOCKER_STOPPED_MESSAGE}</div>
      )}
    </>
  );
}

function RunActions({ run, onDelete }: { run: RunSummary; onDelete: () => void }) {
  const active = isActive(run.status);
  const noteId = `run-delete-note-${run.id}`;
  return (
    <div className="runs-actions">
      {run.status === 'finished' && <a href={`${runHref(run)}/results`}>Results</a>}
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
  );
}
