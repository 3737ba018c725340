import type { Result, RunFailure, RunSettings, RunSummary } from '@contract';
import { api } from '../api/api';

/** A failure's one-click follow-up. */
export type FailureAction = NonNullable<RunFailure['action']>;

/** Starts a new run with a failed run's settings changed as its failure suggests (e.g. a smaller batch). */
export function retryWithSettings(settings: RunSettings, action: FailureAction): Promise<Result<RunSummary>> {
  return api().call('runs.create', { settings: { ...settings, ...action.settingsPatch } });
}

/** Same as retryWithSettings for a run whose settings are not loaded yet (the runs list). */
export async function retryRun(runId: string, action: FailureAction): Promise<Result<RunSummary>> {
  // The smallest snapshot: only its settings are needed.
  const detail = await api().call('runs.get', { id: runId, maxPoints: 10 });
  if (!detail.ok) return detail;
  return retryWithSettings(detail.value.settings, action);
}
