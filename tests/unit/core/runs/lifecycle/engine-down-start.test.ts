import Dockerode from 'dockerode';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, ImageStatus, RunSettings, type RunSummary } from '../../../../../electron/contract';
import { EventBus } from '../../../../../electron/core/event-bus';
import { ImageService } from '../../../../../electron/core/images/image-service';
import { studioPaths } from '../../../../../electron/core/paths';
import {
  ENGINE_BACK_PREFIX,
  engineBackFailure,
  waitsForEngine,
} from '../../../../../electron/core/runs/lifecycle/engine-back';
import { RunFolder } from '../../../../../electron/core/runs/folder/run-folder';
import { initialRunState } from '../../../../../electron/core/runs/folder/run-files';
import { readyTrainerImage } from '../../../../../electron/core/images/ready-trainer-image';
import { RunService } from '../../../../../electron/core/runs/lifecycle/run-service';
import { tempDir, waitFor } from '../../../../helpers/runs-temp';

// Docker not answering (issue 15): a Dockerode client on a socket path where nothing listens is a
// real connection failure (ENOENT), as when the daemon is stopped. Later the same path answers
// Docker's ping, as an engine that came back does (the real daemon is exercised by tests/faults).

const trainerDir = path.resolve(__dirname, '../../../../../docker');
let dir: string;
let cleanup: () => void;
let socketPath: string;
let server: http.Server | null = null;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('deit-engine-down-'));
  socketPath = path.join(dir, 'docker.sock');
  fs.mkdirSync(path.join(dir, 'dataset', 'a'), { recursive: true });
});
afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = null;
  cleanup();
});

const docker = () => Promise.resolve(new Dockerode({ socketPath }));

/** Starts answering GET /_ping on the socket path, as a Docker Engine does once it is up. */
async function engineComesBack(): Promise<void> {
  server = http.createServer((req, res) => {
    if (req.url?.endsWith('/_ping')) res.end('OK');
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ message: 'page not found' }));
    }
  });
  await new Promise<void>((resolve) => server!.listen(socketPath, resolve));
}

function services() {
  const bus = new EventBus();
  const images = new ImageService({ docker, bus, trainerDir, repository: 'deit-studio-test-trainer' });
  const runs = new RunService({
    docker,
    paths: studioPaths(dir),
    bus,
    trainerImage: () => readyTrainerImage(images),
  });
  const updates: RunSummary[] = [];
  bus.on('run.updated', (summary) => updates.push(summary));
  return { images, runs, updates };
}

describe('image.status while Docker does not answer', () => {
  it("is 'unknown' with Docker's error and its fix, never 'missing' with a download to consent to", async () => {
    const { images } = services();
    const status = ImageStatus.parse(await images.status());
    expect(status).toMatchObject({ state: 'unknown', needsConsent: false, downloadBytes: null, basePresent: false });
    expect(status.error).toMatchObject({ kind: 'docker_unreachable' });
    expect(status.error!.message).toMatch(/^Docker is not answering/);
    expect(status.error!.fix).toBeTruthy();
    expect(status.error!.detail).toContain('ENOENT');
  });

  it('getting the image is refused with that error instead of starting a download', async () => {
    const { images } = services();
    const error = await images.ensure({ consent: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'docker_unreachable' });
  });

  it('readyTrainerImage throws the Docker error, not "the training image is not ready yet"', async () => {
    const { images } = services();
    const error = await readyTrainerImage(images).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'docker_unreachable' });
    expect((error as Error).message).not.toMatch(/not ready/);
  });
});

describe('a run started while Docker does not answer', () => {
  it('still gets a run folder private to the user (0700) with private files (0600)', async () => {
    const { runs, updates } = services();
    const settings = RunSettings.parse({ datasetPath: path.join(dir, 'dataset'), modelId: 'deit_tiny_patch16_224' });
    const created = await runs.create(settings);
    const folder = new RunFolder(studioPaths(dir).runsDir, created.id);
    expect(fs.statSync(folder.dir).mode & 0o777).toBe(0o700);
    for (const name of ['run.json', 'config.json', 'state.json']) {
      expect(fs.statSync(path.join(folder.dir, name)).mode & 0o777).toBe(0o600);
    }
    await waitFor(() => updates.find((u) => u.id === created.id && u.status === 'failed'), 10_000, 'the failed start');
  });

  it('fails as docker_gone, resumable, without counting an attempt; resuming again does the same', async () => {
    const { runs, updates } = services();
    const settings = RunSettings.parse({
      datasetPath: path.join(dir, 'dataset'),
      modelId: 'deit_tiny_patch16_224',
      device: 'cpu',
    });
    try {
      const created = await runs.create(settings);
      const folder = new RunFolder(studioPaths(dir).runsDir, created.id);
      const failedOnce = await waitFor(
        () => updates.find((u) => u.id === created.id && u.status === 'failed'),
        10_000,
        'the failed start',
      );
      expect(failedOnce.resumable).toBe(true);
      expect(failedOnce.failure).toMatchObject({
        cause: 'docker_gone',
        message: 'Docker is not answering, so the training could not start.',
      });
      expect(failedOnce.failure!.fix).toMatch(/^Start Docker, then resume the run/);
      let state = await waitFor(
        async () => {
          const s = await folder.readState();
          return s?.status === 'failed' ? s : undefined;
        },
        10_000,
        'state.json to say failed',
      );
      expect(state.attempts).toBe(0);

      // Still down: the resume fails the same way, and still no attempt is counted.
      updates.length = 0;
      await waitFor(() => runs.resume(created.id).catch(() => undefined), 10_000, 'the run to be resumable again');
      await waitFor(() => updates.find((u) => u.status === 'failed'), 10_000, 'the second failed start');
      state = (await folder.readState())!;
      expect(state).toMatchObject({
        status: 'failed',
        attempts: 0,
        resumable: true,
        failure: { cause: 'docker_gone' },
      });
      expect(waitsForEngine(state)).toBe(true);

      // runs.list while Docker is still down changes nothing.
      updates.length = 0;
      await runs.list();
      expect((await folder.readState())!.failure!.message).toBe(state.failure!.message);

      // Docker answers again: the next runs.list says so, saves it, and announces it; Resume stays offered.
      await engineComesBack();
      const listed = (await runs.list()).find((r) => r.id === created.id)!;
      expect(listed.failure).toMatchObject({
        cause: 'docker_gone',
        message: `${ENGINE_BACK_PREFIX}: resume the run to start its training.`,
      });
      expect(listed.resumable).toBe(true);
      const saved = (await folder.readState())!;
      expect(saved).toMatchObject({ status: 'failed', resumable: true, attempts: 0 });
      expect(saved.failure!.message.startsWith(ENGINE_BACK_PREFIX)).toBe(true);
      expect(waitsForEngine(saved)).toBe(false);
      expect(updates.filter((u) => u.id === created.id)).toHaveLength(1);
      // Told once: a second list neither rewrites nor announces it again.
      await runs.list();
      expect(updates.filter((u) => u.id === created.id)).toHaveLength(1);
    } finally {
      await runs.close();
    }
  });
});

describe('engineBackFailure', () => {
  const failure = {
    cause: 'docker_gone' as const,
    message: 'Docker stopped while the run was going, so the training stopped too.',
    fix: 'Start Docker again, then resume the run: it continues from its last checkpoint.',
    detail: 'connect ECONNREFUSED',
  };

  it('with a checkpoint: resume continues from it; the cause and detail stay', () => {
    expect(engineBackFailure(failure, true, true)).toEqual({
      cause: 'docker_gone',
      message: 'Docker is running again: resume the run to continue from its last checkpoint.',
      fix: 'Press “Resume training”.',
      detail: 'connect ECONNREFUSED',
    });
  });

  it('not resumable: says a new run is the way on', () => {
    expect(engineBackFailure(failure, false, false).fix).toBe('Start a new run with the same settings.');
  });

  it('only failed docker_gone runs not yet told wait for the engine', () => {
    const state = { ...initialRunState(), status: 'failed' as const, failure };
    expect(waitsForEngine(state)).toBe(true);
    expect(waitsForEngine({ ...state, failure: engineBackFailure(failure, true, true) })).toBe(false);
    expect(waitsForEngine({ ...state, status: 'stopped' })).toBe(false);
    expect(waitsForEngine({ ...state, failure: { ...failure, cause: 'killed' } })).toBe(false);
  });
});
