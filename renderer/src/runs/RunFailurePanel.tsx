import type { RunFailure, RunSettings } from '@contract';
import { navigate } from '../app/router';
import { ErrorNotice } from '../components/ErrorNotice';
import { retryRun, retryWithSettings } from './run-actions';
import { FAILURE_CAUSES } from './run-labels';
import { useAsyncAction } from '../components/use-async-action';

/**
 * Why a run failed, in the user's words, with what to do and the suggested one-click follow-up
 * (which starts a new run with the fixed settings and opens it).
 */
export function RunFailurePanel({
  runId,
  failure,
  settings,
  compact = false,
}: {
  runId: string;
  failure: RunFailure;
  /** The run's settings when already loaded; else they are read when the action is clicked. */
  settings?: RunSettings | null;
  /** The runs list shows the cause and the action only. */
  compact?: boolean;
}) {
  const retry = useAsyncAction();
  const action = failure.action;

  async function onAction() {
    if (!action) return;
    const created = await retry.run(() => (settings ? retryWithSettings(settings, action) : retryRun(runId, action)));
    if (created) navigate(`/runs/${encodeURIComponent(created.id)}`);
  }

  const button = action && (
    <button type="button" className="primary" onClick={() => void onAction()} disabled={retry.busy}>
      {retry.busy ? 'Starting…' : action.label}
    </button>
  );

  if (compact) {
    return (
      <div className="run-failure-compact">
        <span>
          <span aria-hidden="true">✕ </span>
          {FAILURE_CAUSES[failure.cause]}
        </span>
        {button}
        {retry.error && <ErrorNotice error={retry.error} />}
      </div>
    );
  }
  return (
    <section className="notice notice-error run-failure" aria-labelledby={`failure-${runId}`}>
      <h2 id={`failure-${runId}`} className="notice-title">
        <span aria-hidden="true">✕ </span>
        This run failed: {FAILURE_CAUSES[failure.cause]}
      </h2>
      <p>{failure.message}</p>
      <p>
        <strong>What to do: </strong>
        {failure.fix}
      </p>
      {failure.detail && (
        <details>
          <summary>Technical details (for a bug report)</summary>
          <pre className="run-failure-detail">{failure.detail}</pre>
        </details>
      )}
      {action && (
        <p className="run-failure-action">
          {button} <span className="muted">Starts a new run with this change; this run stays as it is.</span>
        </p>
      )}
      {retry.error && <ErrorNotice error={retry.error} />}
    </section>
  );
}
