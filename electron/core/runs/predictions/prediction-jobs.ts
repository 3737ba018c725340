import { AppError, type PredictionProgress, type PredictionState, type TrainerEvent } from '../../../contract';
import type { EventBus } from '../../event-bus';

/**
 * The classifications in progress ("Try the model on new images"), one per run at a time: what each
 * has done (published as `run.predictProgress` for every window and tab), and its Cancel.
 *
 *   const job = jobs.begin(runId);                       // 'busy' when that run is already classifying
 *   await predictFolder(env, run, folder, job);          // job.started(...), job.onEvent(...) inside
 *   jobs.end(job, 'finished');                           // or 'failed' / 'cancelled'
 *   await jobs.cancel(runId);                            // from the Cancel button: kills its container
 */
export class PredictionJob {
  readonly abort = new AbortController();
  private progress: PredictionProgress | null = null;
  /** The trainer's clock when the model was loaded and counting began (its first `predict` progress). */
  private countingSince: number | null = null;
  private settle: () => void = () => undefined;
  /** Resolves when it has ended (its container is gone). */
  readonly settled = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(
    readonly runId: string,
    private readonly publish: (progress: PredictionProgress) => void,
    private readonly now: () => Date,
  ) {}

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  /** Where it stands; null until the folder and the CSV's name are known. */
  get current(): PredictionProgress | null {
    return this.progress;
  }

  /** The folder is checked and the container about to start; `device` says where it classifies. */
  started(folder: string, file: string, device: string | null = null): void {
    this.progress = {
      runId: this.runId,
      file,
      folder,
      state: 'running',
      done: 0,
      total: null,
      imgPerS: null,
      etaS: null,
      startedAt: this.now().toISOString(),
      device,
    };
    this.publish(this.progress);
  }

  /** A trainer event of the prediction container: its `predict` progress moves the count, a `device_fallback` warning corrects where. */
  onEvent(event: TrainerEvent): void {
    if (this.progress && event.type === 'warning' && event.code === 'device_fallback') {
      // The GPU it was given was not visible inside the container: say where it really classifies.
      this.progress = { ...this.progress, device: 'the processor (the GPU was not visible in the container)' };
      this.publish(this.progress);
      return;
    }
    if (!this.progress || event.type !== 'progress' || event.phase !== 'predict') return;
    if (this.countingSince === null || event.done === 0) this.countingSince = event.time;
    const seconds = event.time - this.countingSince;
    const imgPerS = event.done > 0 && seconds > 0 ? event.done / seconds : null;
    const total = event.total === null ? null : Math.round(event.total);
    const sent = (event as { eta_s?: unknown }).eta_s;
    const etaS =
      typeof sent === 'number' ? sent : imgPerS && total !== null ? Math.max(0, total - event.done) / imgPerS : null;
    this.progress = {
      ...this.progress,
      done: Math.round(event.done),
      total,
      imgPerS: imgPerS === null ? null : Math.round(imgPerS * 10) / 10,
      etaS: etaS === null ? null : Math.round(etaS),
    };
    this.publish(this.progress);
  }

  /** How it ended; published once, for every window. */
  end(state: Exclude<PredictionState, 'running'>): void {
    this.settle();
    if (!this.progress) return;
    this.progress = { ...this.progress, state, etaS: state === 'finished' ? 0 : null };
    this.publish(this.progress);
  }
}

export class PredictionJobs {
  private readonly jobs = new Map<string, PredictionJob>();

  constructor(
    private readonly bus: EventBus,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Reserves the run's one classification slot. */
  begin(runId: string): PredictionJob {
    const running = this.jobs.get(runId);
    if (running) {
      throw new AppError('busy', 'This run is already classifying a folder of images.', {
        fix: `Wait until it has finished${running.current ? ` (${running.current.folder})` : ''}, or cancel it first.`,
      });
    }
    const job = new PredictionJob(runId, (progress) => this.bus.emit('run.predictProgress', progress), this.now);
    this.jobs.set(runId, job);
    return job;
  }

  /** The run's classification in progress, as last published; null when none. */
  running(runId: string): PredictionProgress | null {
    return this.jobs.get(runId)?.current ?? null;
  }

  end(job: PredictionJob, state: Exclude<PredictionState, 'running'>): void {
    if (this.jobs.get(job.runId) === job) this.jobs.delete(job.runId);
    job.end(state);
  }

  /** Stops the run's classification; false when none was running. */
  cancel(runId: string): boolean {
    const job = this.jobs.get(runId);
    if (!job) return false;
    job.abort.abort();
    return true;
  }

  /** The app is closing: no container should outlive it (waits a few seconds for them to go). */
  async close(waitMs = 10_000): Promise<void> {
    const jobs = [...this.jobs.values()];
    for (const job of jobs) job.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([Promise.all(jobs.map((job) => job.settled)), timeout]);
    clearTimeout(timer);
  }
}
