import type { GpuSample, RunDetail, RunSummary, TrainerEvent } from '../../../electron/contract';
import { FakeStudioApi, ok } from '../fake-studio-api';
import { detail, stepEvent, summary } from './run-fixtures';

/**
 * One running run behind a FakeStudioApi, the way the runs service shows it: metrics.jsonl (the
 * numbered event list), train.log and gpu.jsonl grow; runs.get / runs.log read them; live events
 * carry the line number. `hold()` delays snapshots so tests can stream while they are read.
 */
export class FakeRunServer {
  readonly api = new FakeStudioApi();
  readonly events: TrainerEvent[] = [];
  readonly log: string[] = [];
  readonly gpu: GpuSample[] = [];
  summary: RunSummary;
  private held: { release: () => void; taken: Promise<void> } | null = null;

  constructor(
    readonly runId = 'run-1',
    initialSteps = 0,
  ) {
    this.summary = summary({ id: runId });
    for (let g = 1; g <= initialSteps; g++) this.events.push(stepEvent(g));
    // While held, the files are read late: what was streamed meanwhile is in the answer too.
    this.api.handle('runs.get', async ({ id }) => {
      if (this.held) await this.held.taken;
      return ok(this.snapshot(id));
    });
    this.api.handle('runs.log', async ({ limit }) => {
      if (this.held) await this.held.taken;
      return ok({ lines: this.log.slice(-limit), total: this.log.length });
    });
  }

  /** Delays every snapshot read from now on until `release()`. */
  hold(): { release: () => void } {
    let release = () => {};
    const taken = new Promise<void>((resolve) => (release = resolve));
    this.held = { release, taken };
    return {
      release: () => {
        this.held = null;
        release();
      },
    };
  }

  /** Appends an event to metrics.jsonl and streams it; `emit: false` loses it on the way (a dropped connection). */
  append(event: TrainerEvent, options: { emit?: boolean } = {}): number {
    const index = this.events.length;
    this.events.push(event);
    if (options.emit !== false) this.api.emit('run.event', { runId: this.runId, index, event });
    return index;
  }

  /** Streams an already-written event again (an event stream replaying after it reconnected). */
  replay(index: number): void {
    this.api.emit('run.event', { runId: this.runId, index, event: this.events[index]! });
  }

  appendLog(lines: string[]): void {
    this.log.push(...lines);
    this.api.emit('run.log', { runId: this.runId, lines });
  }

  appendGpu(sample: GpuSample): void {
    this.gpu.push(sample);
    this.api.emit('run.gpu', { runId: this.runId, sample });
  }

  /** What runs.get answers now. */
  snapshot(id: string): RunDetail {
    const steps = this.events.flatMap((e) =>
      e.type === 'step'
        ? [{ globalStep: e.global_step, time: e.time, loss: e.loss, lr: e.lr, imgPerS: e.img_per_s }]
        : [],
    );
    const epochs = this.events.flatMap((e) =>
      e.type === 'epoch'
        ? [
            {
              epoch: e.epoch,
              trainLoss: e.train_loss,
              trainTop1: e.train_top1 ?? null,
              valLoss: e.val_loss,
              valTop1: e.val_top1,
              valTop5: e.val_top5,
              lr: e.lr,
              perClassAcc: e.per_class_acc,
            },
          ]
        : [],
    );
    // Like the real service, the summary's progress is that of the last step written.
    const last = this.events.findLast((e) => e.type === 'step');
    const progress =
      last?.type === 'step'
        ? {
            epoch: last.epoch,
            epochs: this.summary.epochs,
            step: last.step,
            stepsPerEpoch: last.steps_per_epoch,
            globalStep: last.global_step,
            totalSteps: last.total_steps,
            imgPerS: last.img_per_s,
            etaS: last.eta_s,
          }
        : this.summary.progress;
    const base = detail({
      summary: { ...this.summary, id, progress },
      eventCount: this.events.length,
      gpu: [...this.gpu],
    });
    return { ...base, steps, epochs };
  }
}
