import { describe, expect, it } from 'vitest';
import { AppError, type PredictionProgress, type TrainerEvent } from '../../../../../electron/contract';
import { EventBus } from '../../../../../electron/core/event-bus';
import { PredictionJobs } from '../../../../../electron/core/runs/predictions/prediction-jobs';

const NOW = new Date('2026-11-29T02:31:05.000Z');

function progress(done: number, total: number | null, time: number, extra: Record<string, unknown> = {}): TrainerEvent {
  return {
    v: 1,
    seq: 0,
    time,
    type: 'progress',
    phase: 'predict',
    done,
    total,
    message: `Classified ${done}`,
    ...extra,
  } as TrainerEvent;
}

function setup() {
  const bus = new EventBus();
  const published: PredictionProgress[] = [];
  bus.on('run.predictProgress', (p) => published.push(p));
  return { jobs: new PredictionJobs(bus, () => NOW), published };
}

describe('PredictionJobs', () => {
  it('publishes the count, the rate since the model was loaded and the time left', () => {
    const { jobs, published } = setup();
    const job = jobs.begin('run-1');
    job.started('/data/new', '20261129-023105-ab12.csv');
    job.onEvent(progress(0, 1032, 100)); // the model took its time to load before this: not counted
    job.onEvent(progress(64, 1032, 102));
    job.onEvent(progress(128, 1032, 104, { eta_s: 30.4 }));
    expect(published.map((p) => [p.state, p.done, p.total, p.imgPerS, p.etaS])).toEqual([
      ['running', 0, null, null, null],
      ['running', 0, 1032, null, null],
      ['running', 64, 1032, 32, 30], // (1032 - 64) / 32 per second, when the trainer sent no eta
      ['running', 128, 1032, 32, 30], // the trainer's own estimate when it sends one
    ]);
    expect(published[0]).toMatchObject({ runId: 'run-1', folder: '/data/new', startedAt: NOW.toISOString() });
    expect(jobs.running('run-1')).toMatchObject({ done: 128 });
    jobs.end(job, 'finished');
    expect(published.at(-1)).toMatchObject({ state: 'finished', done: 128, etaS: 0 });
    expect(jobs.running('run-1')).toBeNull();
  });

  it('ignores the other phases and events', () => {
    const { jobs, published } = setup();
    const job = jobs.begin('run-1');
    job.started('/data/new', 'a.csv');
    job.onEvent({ ...progress(3, 9, 1), phase: 'weights' } as TrainerEvent);
    job.onEvent({ v: 1, seq: 1, time: 2, type: 'warning', code: 'x', message: 'y' } as TrainerEvent);
    expect(published).toHaveLength(1);
  });

  it('says where it classifies, and corrects it when the trainer could not see the GPU it was given', () => {
    const { jobs, published } = setup();
    const job = jobs.begin('run-1');
    job.started('/data/new', 'a.csv', 'GPU 1 (NVIDIA H100 80GB HBM3), bf16');
    expect(published.at(-1)!.device).toBe('GPU 1 (NVIDIA H100 80GB HBM3), bf16');
    const warning = { v: 1, seq: 1, time: 2, type: 'warning', code: 'device_fallback', message: 'No GPU is visible' };
    job.onEvent(warning as TrainerEvent);
    expect(published.at(-1)!.device).toMatch(/^the processor/);
    job.onEvent(progress(5, 10, 3));
    expect(published.at(-1)).toMatchObject({ done: 5, device: expect.stringMatching(/^the processor/) });
  });

  it('allows one classification per run at a time, each run its own', () => {
    const { jobs } = setup();
    const job = jobs.begin('run-1');
    expect(() => jobs.begin('run-1')).toThrow(AppError);
    expect(() => jobs.begin('run-2')).not.toThrow();
    jobs.end(job, 'failed');
    expect(() => jobs.begin('run-1')).not.toThrow();
  });

  it('cancels by aborting the job (which kills its container) and says when there was nothing to cancel', async () => {
    const { jobs, published } = setup();
    expect(jobs.cancel('run-1')).toBe(false);
    const job = jobs.begin('run-1');
    job.started('/data/new', 'a.csv');
    expect(jobs.cancel('run-1')).toBe(true);
    expect(job.cancelled).toBe(true);
    jobs.end(job, 'cancelled');
    await job.settled;
    expect(published.at(-1)).toMatchObject({ state: 'cancelled', etaS: null });
  });

  it('aborts every job when the app closes and waits for them to end', async () => {
    const { jobs } = setup();
    const a = jobs.begin('run-1');
    const b = jobs.begin('run-2');
    const ended: string[] = [];
    for (const job of [a, b]) {
      job.abort.signal.addEventListener('abort', () =>
        setTimeout(() => {
          ended.push(job.runId);
          jobs.end(job, 'cancelled');
        }, 10),
      );
    }
    await jobs.close();
    expect(ended.sort()).toEqual(['run-1', 'run-2']);
  });
});
