import { describe, expect, it } from 'vitest';
import { AppError, RunSettings, RunSummary, type TrainerEventOf } from '../../../../../electron/contract';
import {
  classifyAttemptEnd,
  classifyStartError,
  type AttemptEnd,
} from '../../../../../electron/core/runs/lifecycle/run-outcome';
import { initialRunState, RunStateFile } from '../../../../../electron/core/runs/folder/run-files';
import { buildRunSummary } from '../../../../../electron/core/runs/history/run-summary';

// Who stopped a run (issue 15): the user's Stop, or Docker (a daemon shutdown stops containers with
// SIGTERM; the trainer saves and exits 0, exactly as for the user's Stop); and a start refused
// because Docker does not answer.

const settings = RunSettings.parse({ datasetPath: '/data/flowers', modelId: 'deit_tiny_patch16_224' });
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
const stopped: TrainerEventOf<'stopped'> = {
  v: 1,
  seq: 40,
  time: 1,
  type: 'stopped',
  resumable: true,
  epoch: 1,
  global_step: 250,
  checkpoint: '/run/checkpoints/last.pt',
};
const classify = (end: Partial<AttemptEnd>) => classifyAttemptEnd({ ...base, ...end }, settings);

describe('classifyAttemptEnd: the cause of a stop', () => {
  it("the user's Stop: exit 0 with `stopped` after runs.stop is stopped by the user", () => {
    expect(classify({ stopped, stopRequested: true })).toEqual({
      status: 'stopped',
      resumable: true,
      failure: null,
      stopCause: 'user',
    });
  });

  it('a SIGTERM the app did not send (daemon shutdown, docker stop): stopped by Docker, resumable', () => {
    expect(classify({ stopped })).toEqual({ status: 'stopped', resumable: true, failure: null, stopCause: 'docker' });
  });

  it('the trainer said `stopped`, then the engine went away before the exit code was read: still a stop', () => {
    expect(classify({ stopped, exitCode: null, dockerGone: true })).toMatchObject({
      status: 'stopped',
      stopCause: 'docker',
      failure: null,
    });
  });

  it('exit 143 without a stop request and without a `stopped` event: stopped by Docker, resumable', () => {
    for (const lastCheckpointExists of [true, false]) {
      expect(classify({ exitCode: 143, lastCheckpointExists })).toEqual({
        status: 'stopped',
        resumable: true,
        failure: null,
        stopCause: 'docker',
      });
    }
  });

  it('exit 143 or 137 after runs.stop stays the user stop', () => {
    expect(classify({ exitCode: 143, stopRequested: true })).toMatchObject({ status: 'stopped', stopCause: 'user' });
    expect(classify({ exitCode: 137, stopRequested: true })).toMatchObject({ status: 'stopped', stopCause: 'user' });
  });

  it('SIGKILL from outside (docker kill) is still a failure of cause killed, with no stop cause', () => {
    const out = classify({ exitCode: 137 });
    expect(out).toMatchObject({ status: 'failed', failure: { cause: 'killed' } });
    expect(out.stopCause).toBeUndefined();
  });

  it('the engine gone without a `stopped` event is a docker_gone failure, not a stop', () => {
    const out = classify({ exitCode: null, dockerGone: true });
    expect(out).toMatchObject({ status: 'failed', failure: { cause: 'docker_gone' } });
    expect(out.stopCause).toBeUndefined();
  });

  it('finished wins: exit 0 with `finished` has no stop cause', () => {
    const finished: TrainerEventOf<'finished'> = {
      v: 1,
      seq: 90,
      time: 2,
      type: 'finished',
      epochs_done: 3,
      best_val_top1: 0.9,
      best_epoch: 3,
      duration_s: 10,
      early_stopped: false,
    };
    expect(classify({ finished })).toEqual({ status: 'finished', resumable: false, failure: null });
  });
});

describe('the stop cause in state.json and the runs list', () => {
  const record = {
    version: 1 as const,
    id: 'r1',
    name: 'r1',
    createdAt: '2026-01-01T00:00:00.000Z',
    settings,
    image: null,
  };

  it('an older state.json without stopCause still parses, and its summary has none', () => {
    const old = { ...initialRunState(), status: 'stopped', resumable: true };
    const state = RunStateFile.parse(old);
    const summary = buildRunSummary(record, state, null, new Date());
    expect(RunSummary.parse(summary).stopCause).toBeUndefined();
  });

  it('a stopped run carries its stop cause into its summary; other statuses do not', () => {
    const state = RunStateFile.parse({ ...initialRunState(), status: 'stopped', resumable: true, stopCause: 'docker' });
    expect(buildRunSummary(record, state, null, new Date()).stopCause).toBe('docker');
    const queued = { ...state, status: 'queued' as const };
    expect(buildRunSummary(record, queued, null, new Date()).stopCause).toBeUndefined();
  });

  it('an unknown stop cause is refused', () => {
    expect(RunStateFile.safeParse({ ...initialRunState(), stopCause: 'cosmic rays' }).success).toBe(false);
  });
});

describe('classifyStartError: Docker not answering at start', () => {
  it('the image service\'s "Docker is not answering" error becomes docker_gone, never an image problem', () => {
    const error = new AppError('docker_unreachable', 'Docker is not answering, so DeiT Studio cannot tell…', {
      fix: 'Start the Docker Engine. — sudo systemctl enable --now docker',
      detail: 'Docker was running earlier but has stopped. (connect ECONNREFUSED /var/run/docker.sock)',
    });
    const failure = classifyStartError(error);
    expect(failure.cause).toBe('docker_gone');
    expect(failure.message).toBe('Docker is not answering, so the training could not start.');
    expect(failure.fix).toMatch(/^Start Docker, then resume the run/);
    expect(failure.detail).toContain('sudo systemctl enable --now docker');
    expect(`${failure.message} ${failure.fix}`).not.toMatch(/image/i);
  });

  it('a refused or missing socket is the same failure', () => {
    for (const code of ['ECONNREFUSED', 'ENOENT']) {
      const error = Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code });
      expect(classifyStartError(error)).toMatchObject({
        cause: 'docker_gone',
        message: 'Docker is not answering, so the training could not start.',
        detail: `connect ${code} /var/run/docker.sock`,
      });
    }
  });

  it('not allowed to use Docker keeps its own message and asks to resume afterwards', () => {
    const error = new AppError(
      'docker_permission',
      'Docker is running, but your user account is not allowed to use it.',
      {
        fix: 'Add yourself to the docker group.',
      },
    );
    expect(classifyStartError(error)).toMatchObject({
      cause: 'docker_gone',
      message: 'Docker is running, but your user account is not allowed to use it.',
      fix: 'Add yourself to the docker group. Then resume the run.',
    });
  });
});
