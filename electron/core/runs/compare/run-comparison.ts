import {
  AppError,
  type ComparedData,
  type ComparedEpoch,
  type ComparedRun,
  type ComparedStep,
  type RunResults,
  type SplitScores,
  type StepPoint,
} from '../../../contract';
import { downsampleLttb } from '../../../contract/downsample';
import { readRun, RunFolder } from '../folder/run-folder';
import { runMetrics } from '../history/run-history';
import { readRunResults } from '../history/run-results';
import { buildRunSummary } from '../history/run-summary';
import type { RunMetrics } from '../ingest/run-metrics';
import type { LiveRun } from '../lifecycle/live-run';
import { readResolvedSettings } from './resolved-settings';

/**
 * Runs side by side (`runs.compare`): each run's settings, which images it trained and was scored on,
 * its loss and accuracy by epoch and by time, its headline numbers and per-class metrics — all read
 * with the history readers (run-history.ts, run-results.ts), nothing written.
 *
 *   const runs = await compareRuns(['run-a', 'run-b'], 400, { runsDir, liveRun: (id) => undefined, now: new Date() });
 */
export interface CompareSources {
  runsDir: string;
  /** The live run the app follows (its metrics are current), if any. */
  liveRun: (id: string) => LiveRun | undefined;
  now: Date;
}

export async function compareRuns(
  ids: readonly string[],
  maxPoints: number,
  src: CompareSources,
): Promise<ComparedRun[]> {
  const unique = [...new Set(ids)];
  if (unique.length < 2) {
    throw new AppError('validation', 'Choose two different runs to compare.', {
      fix: 'Tick at least two runs in the runs list, then press Compare.',
    });
  }
  return Promise.all(unique.map((id) => compareOne(id, maxPoints, src)));
}

async function compareOne(id: string, maxPoints: number, src: CompareSources): Promise<ComparedRun> {
  const folder = new RunFolder(src.runsDir, id);
  const { record, state } = await readRun(folder);
  const live = src.liveRun(id);
  const metrics = await runMetrics(folder, live);
  const summary = live ? live.summary() : buildRunSummary(record, state, metrics, src.now);
  // A run without results yet (training, stopped, failed) is compared by its curves alone.
  const results = await readRunResults(folder).catch((error: unknown) => {
    if (error instanceof AppError && error.kind === 'not_found') return null;
    throw error;
  });
  const t0 = metrics.steps[0]?.time ?? null;
  return {
    id: record.id,
    name: record.name,
    status: summary.status,
    createdAt: record.createdAt,
    durationS: summary.durationS,
    settings: record.settings,
    resolved: await readResolvedSettings(folder, metrics),
    data: comparedData(record.settings.datasetPath, record.settings.valRatio, metrics),
    epochs: downsampleLttb<ComparedEpoch>(epochTimes(metrics, t0), maxPoints, {
      x: (e) => e.epoch,
      y: (e) => e.trainLoss,
    }),
    steps: downsampleLttb<StepPoint>(metrics.steps, maxPoints, { x: (p) => p.globalStep, y: (p) => p.loss }).map(
      (p): ComparedStep => ({ globalStep: p.globalStep, elapsedS: p.time - (t0 ?? p.time), loss: p.loss }),
    ),
    headline: results ? headlineOf(results) : null,
    bestEpoch: results?.selection?.bestEpoch ?? null,
    perClass: results?.perClass ?? [],
  };
}

/** The images behind a run's numbers, from its settings and the trainer's run_started. */
export function comparedData(datasetPath: string, valRatio: number, metrics: RunMetrics): ComparedData {
  const dataset = metrics.started?.dataset;
  return {
    datasetPath,
    valRatio,
    splitSeed: dataset?.split_seed ?? null,
    splitFrom: dataset?.split_from ?? null,
    layout: dataset?.layout ?? null,
    trainCount: dataset?.train_count ?? null,
    valCount: dataset?.val_count ?? null,
    testCount: dataset?.test_count ?? null,
  };
}

/**
 * Each epoch with the time its training ended, in seconds after the run's first step: the last step
 * of epoch e is global step e × steps per epoch (epochs count from 1). Null when the steps are not
 * known (no run_started, or the step was dropped by a resume).
 */
export function epochTimes(metrics: RunMetrics, t0: number | null): ComparedEpoch[] {
  const perEpoch = metrics.started?.steps_per_epoch ?? null;
  const steps = metrics.steps;
  return metrics.epochs.map((e) => {
    const last = perEpoch && t0 !== null ? lastStepAtOrBefore(steps, e.epoch * perEpoch) : null;
    return {
      epoch: e.epoch,
      elapsedS: last && t0 !== null ? last.time - t0 : null,
      trainLoss: e.trainLoss,
      valLoss: e.valLoss,
      trainTop1: e.trainTop1,
      valTop1: e.valTop1,
    };
  });
}

/** Binary search in steps sorted by globalStep. */
function lastStepAtOrBefore(steps: readonly StepPoint[], globalStep: number): StepPoint | null {
  let lo = 0;
  let hi = steps.length - 1;
  let found: StepPoint | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const point = steps[mid] as StepPoint;
    if (point.globalStep <= globalStep) {
      found = point;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The number to quote, as the results view picks it: test when there was a test split, else validation. */
function headlineOf(results: RunResults): SplitScores | null {
  if (results.test) return results.test;
  if (results.validation) return results.validation;
  if (results.valTop1 === null) return null;
  // Older runs: top-1 only, over the classes' validation images.
  return {
    split: 'validation',
    count: results.perClass.reduce((sum, c) => sum + c.support, 0),
    top1: results.valTop1,
    top1Interval: null,
    top5: results.valTop5,
    balancedAccuracy: null,
    macroF1: null,
    classesWithoutImages: [],
  };
}
