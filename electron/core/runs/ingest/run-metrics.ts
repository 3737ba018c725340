import {
  attemptStartProgress,
  epochPoint,
  stepProgress,
  type EpochPoint,
  type RunProgress,
  type SkippedFile,
  type StepPoint,
  type TrainerEvent,
  type TrainerEventOf,
} from '../../../contract';
import type { ParsedLine } from './event-line';

/** A warning shown with a run: from the trainer (`warning` events) or about its event stream. */
export interface RunWarning {
  code: string;
  message: string;
}

/** At most this many warnings are kept (a trainer printing one per step must not fill memory). */
export const MAX_WARNINGS = 200;

/** What a run's event stream says so far: everything the dashboard needs, rebuilt from metrics.jsonl. */
export interface RunMetrics {
  /** Lines of metrics.jsonl read so far; the next line's index. */
  eventCount: number;
  /** The latest `run_started` (a resumed run sends a new one). */
  started: TrainerEventOf<'run_started'> | null;
  epochs: EpochPoint[];
  steps: StepPoint[];
  progress: RunProgress | null;
  /** Latest non-training phase (scan, cache, weights, compile, eval, export). */
  phase: { phase: string; done: number; total: number | null; message: string } | null;
  batchSize: number | null;
  /** The latest attempt's left-out files (a resumed attempt lists them again) and their count in all. */
  skipped: SkippedFile[];
  skippedTotal: number;
  warnings: RunWarning[];
  bestValTop1: number | null;
  /** Events that end an attempt; cleared when the next attempt starts. */
  error: TrainerEventOf<'error'> | null;
  stopped: TrainerEventOf<'stopped'> | null;
  finished: TrainerEventOf<'finished'> | null;
  artifacts: TrainerEventOf<'artifact'>[];
}

/** Metrics of a run with no events yet. */
export function emptyRunMetrics(): RunMetrics {
  return {
    eventCount: 0,
    started: null,
    epochs: [],
    steps: [],
    progress: null,
    phase: null,
    batchSize: null,
    skipped: [],
    skippedTotal: 0,
    warnings: [],
    bestValTop1: null,
    error: null,
    stopped: null,
    finished: null,
    artifacts: [],
  };
}

/**
 * Applies one parsed line of metrics.jsonl to a run's metrics (its line number is `eventCount`).
 * Deterministic and free of I/O; it updates `metrics` in place because a run has tens of thousands
 * of events and copying per event would be quadratic. Returns what changed, for throttled updates.
 */
export function applyLine(metrics: RunMetrics, line: ParsedLine): 'none' | 'progress' | 'status' {
  metrics.eventCount += 1;
  if (line.kind === 'blank') return 'none';
  if (line.kind === 'ignored') {
    addWarning(metrics, line.warning);
    return 'none';
  }
  return applyEvent(metrics, line.event);
}

/** Applies one trainer event; see `applyLine`. */
export function applyEvent(metrics: RunMetrics, event: TrainerEvent): 'none' | 'progress' | 'status' {
  switch (event.type) {
    case 'run_started':
      metrics.started = event;
      metrics.error = null;
      metrics.stopped = null;
      metrics.finished = null;
      metrics.batchSize = event.batch_size;
      metrics.phase = null;
      // Epochs count from 1; a resumed attempt continues (maybe mid-epoch) from its checkpoint.
      metrics.progress = attemptStartProgress(event, metrics.steps[metrics.steps.length - 1]?.globalStep ?? null);
      if (event.start_global_step !== undefined) rewind(metrics, event.start_global_step, event.start_epoch);
      return 'status';
    case 'progress':
      metrics.phase = { phase: event.phase, done: event.done, total: event.total, message: event.message };
      return 'progress';
    case 'files_skipped':
      // Each attempt scans the folder again and sends its whole list: the latest one replaces the earlier.
      metrics.skipped = [...event.files];
      metrics.skippedTotal = event.total ?? event.files.length;
      return 'none';
    case 'batch_size':
      metrics.batchSize = event.batch_size;
      return 'none';
    case 'step':
      addStep(metrics, {
        globalStep: event.global_step,
        time: event.time,
        loss: event.loss,
        lr: event.lr,
        imgPerS: event.img_per_s,
      });
      metrics.phase = null;
      metrics.progress = stepProgress(event, metrics.progress?.epochs ?? metrics.started?.epochs ?? 0);
      return 'progress';
    case 'epoch':
      addEpoch(metrics, epochPoint(event));
      if (event.val_top1 !== null && (metrics.bestValTop1 === null || event.val_top1 > metrics.bestValTop1)) {
        metrics.bestValTop1 = event.val_top1;
      }
      if (metrics.progress) metrics.progress = { ...metrics.progress, epochs: event.epochs };
      return 'status';
    case 'checkpoint':
      return 'none';
    case 'artifact':
      metrics.artifacts.push(event);
      return 'none';
    case 'warning':
      addWarning(metrics, { code: event.code, message: event.message });
      return 'none';
    case 'error':
      metrics.error = event;
      return 'status';
    case 'stopped':
      metrics.stopped = event;
      return 'status';
    case 'finished':
      metrics.finished = event;
      if (event.best_val_top1 !== null) metrics.bestValTop1 = event.best_val_top1;
      if (metrics.progress) metrics.progress = { ...metrics.progress, etaS: 0 };
      return 'status';
  }
}

/** Epochs completed so far (distinct epochs with a summary). */
export function epochsDone(metrics: RunMetrics): number {
  return metrics.finished?.epochs_done ?? metrics.epochs.length;
}

/**
 * A new attempt trains again what came after its checkpoint (`start_global_step`, `start_epoch`): those
 * steps and epochs go now, not only when the attempt reaches them again (a kill leaves no `stopped`).
 */
function rewind(metrics: RunMetrics, globalStep: number, startEpoch: number): void {
  const steps = metrics.steps;
  while (steps.length > 0 && (steps[steps.length - 1] as StepPoint).globalStep > globalStep) steps.pop();
  const epochs = metrics.epochs;
  while (epochs.length > 0 && (epochs[epochs.length - 1] as EpochPoint).epoch >= startEpoch) epochs.pop();
  const kept = epochs.flatMap((e) => (e.valTop1 === null ? [] : [e.valTop1]));
  metrics.bestValTop1 = kept.length > 0 ? Math.max(...kept) : null;
}

// A resumed attempt repeats the steps after its checkpoint: the later values replace the earlier ones
// (older trainers send no start_global_step, so `rewind` cannot do it at their run_started).
function addStep(metrics: RunMetrics, point: StepPoint): void {
  const steps = metrics.steps;
  while (steps.length > 0 && (steps[steps.length - 1] as StepPoint).globalStep >= point.globalStep) steps.pop();
  steps.push(point);
}

function addEpoch(metrics: RunMetrics, point: EpochPoint): void {
  const epochs = metrics.epochs;
  while (epochs.length > 0 && (epochs[epochs.length - 1] as EpochPoint).epoch >= point.epoch) epochs.pop();
  epochs.push(point);
}

/** Adds a warning unless it repeats the last one, up to MAX_WARNINGS. */
export function addWarning(metrics: RunMetrics, warning: RunWarning): void {
  const last = metrics.warnings[metrics.warnings.length - 1];
  if (last && last.code === warning.code && last.message === warning.message) return;
  if (metrics.warnings.length < MAX_WARNINGS) metrics.warnings.push(warning);
}
