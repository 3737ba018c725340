import type { RunSummary } from '../../../contract';
import type { RunRecordFile, RunStateFile } from '../folder/run-files';
import { epochsDone, type RunMetrics } from '../ingest/run-metrics';

const ACTIVE = new Set(['preparing', 'running', 'stopping']);

/**
 * One line of the runs list, from the run's record, its lifecycle state and (when known) the
 * metrics of its event stream; without metrics the cached figures in state.json are used.
 */
export function buildRunSummary(
  record: RunRecordFile,
  state: RunStateFile,
  metrics: RunMetrics | null,
  now: Date,
): RunSummary {
  const running = state.attemptStartedAt && ACTIVE.has(state.status);
  const current = running ? Math.max(0, (now.getTime() - Date.parse(state.attemptStartedAt as string)) / 1000) : 0;
  const started = state.startedAt !== null;
  return {
    id: record.id,
    name: record.name,
    status: state.status,
    modelId: record.settings.modelId,
    datasetPath: record.settings.datasetPath,
    createdAt: record.createdAt,
    startedAt: state.startedAt,
    endedAt: state.endedAt,
    durationS: started ? Math.round((state.activeSeconds + current) * 10) / 10 : null,
    epochsDone: metrics ? epochsDone(metrics) : state.epochsDone,
    epochs: metrics?.started?.epochs ?? record.settings.epochs,
    bestValTop1: metrics ? metrics.bestValTop1 : state.bestValTop1,
    progress: state.status === 'queued' ? null : (metrics?.progress ?? null),
    resumable: (state.status === 'stopped' || state.status === 'failed') && state.resumable,
    failure: state.status === 'failed' ? state.failure : null,
    ...(state.status === 'stopped' && state.stopCause ? { stopCause: state.stopCause } : {}),
    ...(record.engine
      ? { engine: { id: record.engine.id, label: record.engine.label, kind: record.engine.kind } }
      : {}),
  };
}

/** A name for a run the user did not name: "DeiT-S on flowers". */
export function defaultRunName(modelTitle: string, datasetPath: string): string {
  const folder =
    datasetPath
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() || datasetPath;
  return `${modelTitle} on ${folder}`;
}
