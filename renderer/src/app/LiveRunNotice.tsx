import { useMemo } from 'react';
import { useRunsList } from '../runs/use-runs-list';
import { liveRun } from './use-landing';

/**
 * On the wizard's steps: a run is already training (started earlier, perhaps before the app was
 * closed), with a link to its dashboard, so nobody starts the same training twice by mistake.
 * Nothing when no run is active or the list cannot be read.
 */
export function LiveRunNotice() {
  const { runs } = useRunsList();
  const run = useMemo(() => (runs ? liveRun(runs) : undefined), [runs]);
  if (!run) return null;
  const progress = run.progress;
  const where =
    run.status === 'queued'
      ? 'is waiting to start'
      : progress
        ? `is training (epoch ${progress.epoch} of ${progress.epochs})`
        : 'is training';
  return (
    <div className="notice notice-ok live-run-notice" role="region" aria-label="A run is training">
      <p className="notice-title">
        “{run.name}” {where}.
      </p>
      <p>
        <a href={`#/runs/${encodeURIComponent(run.id)}`} className="run-button-link primary">
          Watch it on its dashboard
        </a>{' '}
        Starting another run here does not stop it.
      </p>
    </div>
  );
}
