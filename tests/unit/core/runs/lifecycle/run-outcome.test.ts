import { describe, expect, it } from 'vitest';
import { AppError, RunSettings, type TrainerEventOf } from '../../../../../electron/contract';
import {
  classifyAttemptEnd,
  classifyStartError,
  isConnectionError,
  type AttemptEnd,
} from '../../../../../electron/core/runs/lifecycle/run-outcome';

const settings = RunSettings.parse({ datasetPath: '/data/flowers', modelId: 'deit_small_patch16_224', batchSize: 64 });
const base: AttemptEnd = {
  exitCode: 0,
  oomKilled: false,
  stopRequested: false,
  dockerGone: false,
  containerMissing: false,
  error: null,
  stopped: null,
  finished: null,
  batchSize: null,
  lastCheckpointExists: true,
  logTail: [],
};
const ev = { v: 1 as const, seq: 1, time: 1 };
const finished: TrainerEventOf<'finished'> = {
  ...ev,
  type: 'finished',
  epochs_done: 3,
  best_val_top1: 0.9,
  best_epoch: 3,
  duration_s: 10,
  early_stopped: false,
};
const stopped: TrainerEventOf<'stopped'> = {
  ...ev,
  type: 'stopped',
  resumable: true,
  epoch: 2,
  global_step: 13,
  checkpoint: '/run/checkpoints/last.pt',
};
const error = (kind: TrainerEventOf<'error'>['kind']): TrainerEventOf<'error'> => ({
  ...ev,
  type: 'error',
  kind,
  message: `trainer says ${kind}`,
  fix: `trainer fix for ${kind}`,
  detail: null,
});
const classify = (end: Partial<AttemptEnd>) => classifyAttemptEnd({ ...base, ...end }, settings);

describe('classifyAttemptEnd', () => {
  it('finished: exit 0 with a finished event', () => {
    expect(classify({ finished })).toEqual({ status: 'finished', resumable: false, failure: null });
  });

  it('stopped and resumable: exit 0 with a stopped event', () => {
    expect(classify({ stopped, stopRequested: true })).toEqual({
      status: 'stopped',
      resumable: true,
      failure: null,
      stopCause: 'user',
    });
  });

  it('stopped: killed after the stop timeout (137) when the user asked to stop', () => {
    expect(classify({ exitCode: 137, stopRequested: true })).toMatchObject({ status: 'stopped', resumable: true });
  });

  it('killed by someone: 137 without a stop request', () => {
    const out = classify({ exitCode: 137 });
    expect(out).toMatchObject({ status: 'failed', resumable: true, failure: { cause: 'killed' } });
    expect(out.failure!.fix).toMatch(/resume/i);
  });

  it('killed for memory: 137 with OOMKilled, offering half the batch size', () => {
    const out = classify({ exitCode: 137, oomKilled: true, batchSize: 32 });
    expect(out.failure).toMatchObject({
      cause: 'killed_for_memory',
      action: { settingsPatch: { batchSize: 16 } },
    });
    expect(out.failure!.message).toMatch(/ran out of memory \(RAM\).*allows it/);
  });

  it('CUDA out of memory: the trainer error (exit 5) offers half the batch size it last used', () => {
    const out = classify({ exitCode: 5, error: error('out_of_memory'), batchSize: 8 });
    expect(out.failure).toMatchObject({
      cause: 'out_of_memory',
      action: { label: 'Retry with batch size 4', settingsPatch: { batchSize: 4 } },
    });
  });

  it('CUDA out of memory at batch size 1: no batch action, a plain fix', () => {
    const out = classify({ exitCode: 5, batchSize: 1 });
    expect(out.failure?.cause).toBe('out_of_memory');
    expect(out.failure?.action).toBeUndefined();
  });

  it('bad dataset: exit 3, with the trainer message and fix when it sent one', () => {
    expect(classify({ exitCode: 3 }).failure?.cause).toBe('dataset_invalid');
    expect(classify({ exitCode: 3, error: error('dataset_one_class') }).failure).toMatchObject({
      cause: 'dataset_invalid',
      message: 'trainer says dataset_one_class',
      fix: 'trainer fix for dataset_one_class',
    });
  });

  it('missing weights: exit 4', () => {
    expect(classify({ exitCode: 4 }).failure?.cause).toBe('weights_missing');
  });

  it('invalid config: exit 2', () => {
    expect(classify({ exitCode: 2, error: error('config_invalid') }).failure?.cause).toBe('config_invalid');
  });

  it('Docker gone while running', () => {
    const out = classify({ exitCode: null, dockerGone: true });
    expect(out).toMatchObject({ status: 'failed', resumable: true, failure: { cause: 'docker_gone' } });
  });

  it('crashed: any other exit, with the last log lines as detail', () => {
    const out = classify({ exitCode: 1, logTail: ['Traceback (most recent call last):', 'ValueError: boom'] });
    expect(out.failure).toMatchObject({ cause: 'crashed' });
    expect(out.failure!.message).toContain('exit code 1');
    expect(out.failure!.detail).toContain('ValueError: boom');
  });

  it('exit 0 without a finished or stopped event is not a success', () => {
    expect(classify({ exitCode: 0 }).status).toBe('failed');
  });

  it('a container that vanished while the app was closed', () => {
    const out = classify({ exitCode: null, containerMissing: true, lastCheckpointExists: false });
    expect(out).toMatchObject({ status: 'failed', resumable: false, failure: { cause: 'crashed' } });
    expect(out.failure!.message).toMatch(/removed outside/);
  });
});

describe('classifyStartError', () => {
  it('GPU toolkit missing: the exact daemon error, with a CPU fallback action', () => {
    const error = Object.assign(
      new Error('(HTTP code 500) server error - could not select device driver "" with capabilities: [[gpu]]'),
      { statusCode: 500 },
    );
    expect(classifyStartError(error)).toMatchObject({
      cause: 'gpu_toolkit_missing',
      action: { settingsPatch: { device: 'cpu' } },
    });
  });

  it('driver too old and CDI missing are GPU setup problems with their own fixes', () => {
    const old = classifyStartError(
      new Error('nvidia-container-cli: requirement error: unsatisfied condition: cuda>=12.4'),
    );
    expect(old.cause).toBe('gpu_toolkit_missing');
    expect(old.fix).toMatch(/driver/i);
    const cdi = classifyStartError(new Error('unresolvable CDI devices nvidia.com/gpu=all'));
    expect(cdi.fix).toMatch(/cdi generate/);
  });

  it('connection lost: Docker gone', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED' });
    expect(isConnectionError(error)).toBe(true);
    expect(classifyStartError(error).cause).toBe('docker_gone');
  });

  it('keeps the message and fix of typed app errors', () => {
    const out = classifyStartError(new AppError('dataset_invalid', 'Gone.', { fix: 'Plug it in.' }));
    expect(out).toMatchObject({ cause: 'dataset_invalid', message: 'Gone.', fix: 'Plug it in.' });
    expect(classifyStartError(new AppError('docker_unreachable', 'No Docker.')).cause).toBe('docker_gone');
  });

  it('anything else: crashed with the error text as detail', () => {
    expect(classifyStartError(new Error('weird'))).toMatchObject({ cause: 'crashed', detail: 'weird' });
  });
});
