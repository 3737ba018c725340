import { formatDuration } from '../../components/format';
import type { EstimateState } from './use-run-estimate';
import { Panel } from '../../components/Panel';

/** How long the run should take and how much GPU memory it needs, before starting it. */
export function RunEstimatePanel({
  state,
  missing,
  cpuMode,
}: {
  state: EstimateState;
  /** Why there is nothing to estimate yet (no dataset, an invalid field). */
  missing: string | null;
  cpuMode: boolean;
}) {
  const { estimate, error, pending } = state;
  return (
    <Panel titleId="estimate-title" title="Estimate" className="estimate" busy={pending}>
      <div aria-live="polite">
        {missing && <p>{missing}</p>}
        {!missing && pending && !estimate && (
          <p>{cpuMode ? 'Timing a few training steps on this processor (some seconds)…' : 'Estimating…'}</p>
        )}
        {!missing && error && (
          <p className="estimate-unavailable">
            No estimate: {error.message} {error.fix}
          </p>
        )}
        {!missing && estimate && (
          <>
            <p className="estimate-figures">
              <span>
                Time:{' '}
                <strong>{estimate.seconds === null ? 'unknown' : `about ${formatDuration(estimate.seconds)}`}</strong>
                {estimate.seconds !== null && cpuMode && ' (estimated on this processor)'}
              </span>
              {!cpuMode && (
                <span>
                  GPU memory:{' '}
                  <strong>{estimate.memoryGiB === null ? 'unknown' : `≈ ${estimate.memoryGiB.toFixed(1)} GiB`}</strong>
                </span>
              )}
              {pending && <span className="muted">(updating…)</span>}
            </p>
            <p className="field-hint">{estimate.explanation}</p>
          </>
        )}
      </div>
    </Panel>
  );
}
