import type { ReactNode } from 'react';
import { DOCKER_STOPPED_MESSAGE, type RunProgress, type RunSummary } from '@contract';
import { formatCount, formatDuration } from '../components/format';
import { FactList } from '../components/FactList';
import type { RunPhase } from './run-live-store';
import { STATUS_LABELS, runDurationS } from './run-labels';

/** What is happening now and what the user can do, by status (never just a spinner). */
function statusNote(summary: RunSummary, phase: RunPhase | null): string {
  switch (summary.status) {
    case 'queued':
      return 'Waiting for the GPU: another run is using it. This run starts by itself when that one ends.';
    case 'preparing':
      return phase
        ? `${phase.message}.`
        : 'Preparing: reading the dataset, loading the model and its pretrained weights. The first run can take a few minutes.';
    case 'running':
      return phase
        ? `${phase.message}.`
        : 'Training. You can close this window: training goes on, and this page picks up where it is when you come back.';
    case 'stopping':
      return 'Stopping: finishing the current step and saving a checkpoint…';
    case 'stopped':
      if (summary.stopCause === 'docker') {
        return summary.resumable
          ? `${DOCKER_STOPPED_MESSAGE} “Resume training” continues from the last checkpoint.`
          : `${DOCKER_STOPPED_MESSAGE} Start a new run to train this model.`;
      }
      return summary.resumable
        ? 'Stopped. “Resume training” continues from the last checkpoint.'
        : 'Stopped before the first checkpoint: start a new run to train this model.';
    case 'finished':
      return 'Finished. The results page has per-class accuracy, the confusion matrix and the exported model.';
    case 'failed':
      return 'This run failed; the reason and what to do are shown above.';
  }
}

/**
 * Epoch and step progress with ETA and images per second. The live region announces only status
 * and epoch changes, so a screen reader is not flooded with every step.
 */
export function RunProgressPanel({
  summary,
  progress,
  phase,
  children,
}: {
  summary: RunSummary;
  progress: RunProgress | null;
  phase: RunPhase | null;
  /** Extra controls under the figures (the browser's "notify me"). */
  children?: ReactNode;
}) {
  const finished = summary.status === 'finished';
  const fraction = finished ? 1 : progress && progress.totalSteps > 0 ? progress.globalStep / progress.totalSteps : 0;
  const percent = Math.min(100, Math.max(0, Math.round(fraction * 1000) / 10));
  const epochs = progress?.epochs || summary.epochs;
  const epoch = progress?.epoch ?? summary.epochsDone;
  const active = summary.status === 'running' || summary.status === 'preparing';
  const announcement = `${STATUS_LABELS[summary.status].label}${epochs ? `, epoch ${epoch} of ${epochs}` : ''}.`;

  return (
    <section className="panel run-progress" aria-labelledby="run-progress-title">
      <h2 id="run-progress-title" className="visually-hidden">
        Progress
      </h2>
      <p className="run-status-note">{statusNote(summary, phase)}</p>
      {active && phase && phase.total !== null && phase.total > 0 && (
        <progress className="run-phase-bar" max={phase.total} value={phase.done} aria-label={phase.message} />
      )}
      <div className="run-progress-row">
        <label htmlFor="run-progress-bar" className="run-progress-label">
          Epoch {formatCount(epoch)} of {formatCount(epochs)}
          {progress && progress.stepsPerEpoch > 0 && (
            <span className="muted">
              {' '}
              · step {formatCount(progress.step)} of {formatCount(progress.stepsPerEpoch)}
            </span>
          )}
        </label>
        <span className="run-progress-percent">{percent} %</span>
      </div>
      <progress id="run-progress-bar" className="run-progress-bar" max={100} value={percent} />
      <FactList
        className="run-progress-facts"
        facts={[
          { label: 'Speed', value: progress?.imgPerS ? `${formatCount(progress.imgPerS)} images/s` : '—' },
          {
            label: 'Time left',
            value: active && progress?.etaS != null ? `about ${formatDuration(progress.etaS)}` : '—',
          },
          { label: 'Elapsed', value: runDurationS(summary) === null ? '—' : formatDuration(runDurationS(summary)) },
        ]}
      />
      {children}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </section>
  );
}
