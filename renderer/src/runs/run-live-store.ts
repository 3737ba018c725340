import {
  attemptStartProgress,
  epochPoint,
  stepProgress,
  type AppErrorShape,
  type EpochPoint,
  type GpuSample,
  type RunDetail,
  type RunProgress,
  type RunSettings,
  type RunSummary,
  type SkippedFile,
  type TrainerEvent,
  type TrainerEventOf,
} from '@contract';
import { chartTuning } from '../charts/chart-tuning';
import { createCoalescer, type Coalescer, type CoalescerClock } from './coalescer';
import { appendLogLines } from './log-merge';
import { RunChartData } from './run-chart-data';

/** A trainer warning as the dashboard lists it. */
export interface RunWarning {
  code: string;
  message: string;
}

/** What the trainer is doing before (or after) the training steps: scanning, caching, compiling… */
export interface RunPhase {
  phase: string;
  message: string;
  done: number;
  total: number | null;
}

/** The dashboard's state at one moment: immutable, rebuilt at most once per coalescing interval. */
export interface RunView {
  /** True until the first snapshot arrived. */
  loading: boolean;
  error: AppErrorShape | null;
  /** The log could not be read (the rest of the dashboard still works). */
  logError: AppErrorShape | null;
  summary: RunSummary | null;
  settings: RunSettings | null;
  started: Record<string, unknown> | null;
  progress: RunProgress | null;
  phase: RunPhase | null;
  batchSize: number | null;
  epochs: readonly EpochPoint[];
  skipped: readonly SkippedFile[];
  /** Left-out entries in all (skipped.json); `skipped` lists the first 1,000. */
  skippedTotal: number;
  warnings: readonly RunWarning[];
  log: readonly string[];
  /** Lines in train.log as far as we know (more than `log` holds for long runs). */
  logTotal: number;
  /** Chart versions: a chart redraws only when its own changes. */
  versions: { steps: number; epochs: number; gpu: number };
}

/** What applying one numbered trainer event did. */
export type EventOutcome = 'applied' | 'duplicate' | 'gap';

/** The label of each dashboard update in a performance trace. */
export const UPDATE_TIMESTAMP = 'deit:dashboard-update';

/** Lines kept for the log panel; the whole log stays in train.log. */
export const LOG_KEEP = 5000;

const EMPTY_VIEW: RunView = {
  loading: true,
  error: null,
  logError: null,
  summary: null,
  settings: null,
  started: null,
  progress: null,
  phase: null,
  batchSize: null,
  epochs: [],
  skipped: [],
  skippedTotal: 0,
  warnings: [],
  log: [],
  logTotal: 0,
  versions: { steps: 0, epochs: 0, gpu: 0 },
};

/**
 * One run's live state, outside React. Events are applied at once (cheap: typed-array appends);
 * React hears about them through `subscribe`, coalesced to one update per interval, so 10 events
 * a second never mean 10 renders a second. Trainer events are deduplicated by their index in
 * metrics.jsonl: the snapshot covers indices below `eventCount`, live events continue from there.
 */
export class RunLiveStore {
  readonly charts = new RunChartData();
  private state: RunView = EMPTY_VIEW;
  private view: RunView = EMPTY_VIEW;
  private logLines: string[] = [];
  private nextIndex = 0;
  private readonly listeners = new Set<() => void>();
  private readonly coalescer: Coalescer;

  constructor(clock?: CoalescerClock) {
    this.coalescer = createCoalescer(
      () => this.flush(),
      () => chartTuning.coalesceMs,
      clock,
    );
  }

  /** React's useSyncExternalStore subscription. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The latest flushed view (stable between flushes, as useSyncExternalStore needs). */
  readonly getView = (): RunView => this.view;

  /** The index the next live trainer event must have. */
  get expectedIndex(): number {
    return this.nextIndex;
  }

  /** Shows a typed error (the snapshot could not be loaded). */
  setError(error: AppErrorShape): void {
    this.update({ error, loading: false });
  }

  /** Replaces everything with a snapshot from runs.get; live events continue after `eventCount`. */
  load(detail: RunDetail): void {
    this.charts.clear();
    for (const step of detail.steps) this.charts.addStep(step);
    const epochs = [...detail.epochs].sort((a, b) => a.epoch - b.epoch);
    for (const epoch of epochs) this.charts.addEpoch(epoch);
    for (const sample of detail.gpu) this.charts.addGpuSample(sample);
    this.nextIndex = detail.eventCount;
    this.update({
      loading: false,
      error: null,
      summary: detail.summary,
      settings: detail.settings,
      started: detail.started,
      progress: detail.summary.progress,
      phase: null,
      epochs,
      skipped: detail.skipped,
      skippedTotal: detail.skippedTotal ?? detail.skipped.length,
      // The batch in use is known after the trainer started: finished and reattached runs show it too.
      batchSize: detail.batchSize ?? startedBatch(detail.started),
      warnings: detail.warnings,
    });
  }

  /** Applies trainer event number `index` unless it was seen already; reports a gap when some are missing. */
  applyEvent(index: number, event: TrainerEvent): EventOutcome {
    if (index < this.nextIndex) return 'duplicate';
    if (index > this.nextIndex) return 'gap';
    this.nextIndex = index + 1;
    this.applyTrainerEvent(event);
    return 'applied';
  }

  /** Gives up on the missing events before `index` (the feed could not get them back). */
  skipTo(index: number): void {
    this.nextIndex = Math.max(this.nextIndex, index);
  }

  /** A newer summary of the run; an older one (arriving late) is ignored. */
  setSummary(summary: RunSummary): void {
    const current = this.state.summary;
    const step = (s: RunSummary | null) => s?.progress?.globalStep ?? -1;
    if (current && summary.status === current.status && step(summary) < step(current)) return;
    const progress =
      summary.progress && summary.progress.globalStep >= (this.state.progress?.globalStep ?? -1)
        ? summary.progress
        : this.state.progress;
    this.update({ summary, progress });
  }

  /** Adds a GPU sample; samples already drawn are ignored. */
  addGpuSample(sample: GpuSample): void {
    if (this.charts.addGpuSample(sample)) this.changed();
  }

  /** Replaces the log with the tail read by runs.log. */
  loadLog(lines: readonly string[], total: number): void {
    this.logLines = lines.slice(-LOG_KEEP);
    this.update({ logTotal: Math.max(total, lines.length), logError: null });
  }

  /** The log could not be read. */
  setLogError(error: AppErrorShape): void {
    this.update({ logError: error });
  }

  /** Appends live log lines; `overlapCheck` drops lines the loaded tail already holds (at a reload). */
  appendLog(lines: readonly string[], overlapCheck = false): void {
    const merged = appendLogLines(this.logLines, lines, overlapCheck, LOG_KEEP);
    this.logLines = merged.lines;
    if (merged.added > 0) this.update({ logTotal: this.state.logTotal + merged.added });
  }

  /** Pushes pending changes to React now (tests, and before unmount checks). */
  flushNow(): void {
    this.coalescer.flushNow();
  }

  /** Drops a pending update (on unmount); React's own subscription is removed by React. */
  dispose(): void {
    this.coalescer.cancel();
  }

  private applyTrainerEvent(event: TrainerEvent): void {
    switch (event.type) {
      case 'run_started':
        this.update({ started: event, batchSize: event.batch_size });
        if (event.start_global_step !== undefined) this.rewind(event);
        return;
      case 'progress':
        this.update({ phase: { phase: event.phase, message: event.message, done: event.done, total: event.total } });
        return;
      case 'batch_size':
        this.update({ batchSize: event.batch_size });
        return;
      case 'files_skipped':
        // Each attempt lists them all again: the latest list replaces the earlier one.
        this.update({ skipped: event.files, skippedTotal: event.total ?? event.files.length });
        return;
      case 'warning':
        if (!this.state.warnings.some((w) => w.code === event.code && w.message === event.message)) {
          this.update({ warnings: [...this.state.warnings, { code: event.code, message: event.message }] });
        }
        return;
      case 'step':
        this.charts.addStep({
          globalStep: event.global_step,
          loss: event.loss,
          lr: event.lr,
          imgPerS: event.img_per_s,
        });
        this.update({
          phase: null,
          progress: stepProgress(event, this.state.summary?.epochs ?? this.state.progress?.epochs ?? event.epoch),
        });
        return;
      case 'epoch': {
        const point = epochPoint(event);
        if (this.charts.addEpoch(point)) this.update({ epochs: [...this.state.epochs, point] });
        return;
      }
      default:
        // checkpoint, artifact, error, stopped, finished: the run's summary (run.updated) carries their effect.
        return;
    }
  }

  /**
   * A new attempt starts after `start_global_step` (0 fresh, the checkpoint's on a resume): what an
   * earlier attempt drew beyond it is trained again, so it goes, and the progress goes back to it —
   * the same as a reload (runs.get) shows. Without it a resume after a kill drew those steps twice.
   */
  private rewind(event: TrainerEventOf<'run_started'>): void {
    const progress = attemptStartProgress(event, null);
    this.charts.rewind(progress.globalStep, event.start_epoch);
    const summary = this.state.summary;
    this.update({
      progress,
      epochs: this.state.epochs.filter((e) => e.epoch < event.start_epoch),
      // A summary from before (the killed attempt's last step) must not hold later ones back (setSummary).
      summary:
        summary?.progress && summary.progress.globalStep > progress.globalStep ? { ...summary, progress } : summary,
    });
  }

  private update(patch: Partial<RunView>): void {
    this.state = { ...this.state, ...patch };
    this.changed();
  }

  private changed(): void {
    this.coalescer.request();
  }

  private flush(): void {
    // Names this update in a DevTools/Chromium trace (the benchmark finds updates by it); a no-op otherwise.
    console.timeStamp?.(UPDATE_TIMESTAMP);
    const { charts } = this;
    this.view = {
      ...this.state,
      log: this.logLines,
      versions: { steps: charts.stepsVersion, epochs: charts.epochsVersion, gpu: charts.gpuVersion },
    };
    for (const listener of this.listeners) listener();
  }
}

/** run_started's batch size, from a snapshot's `started` record (older cores send no batchSize). */
function startedBatch(started: Record<string, unknown> | null): number | null {
  const batch = started?.batch_size;
  return typeof batch === 'number' ? batch : null;
}
