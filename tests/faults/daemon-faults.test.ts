import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleChildCore } from '../helpers/child-core-bundle';
import { createCore } from '../../electron/core/app-core';
import { TWIN_IMAGE } from '../helpers/docker-env';
import { killDaemon, startDaemon, stopDaemon } from '../helpers/private-daemon';
import { waitFor } from '../helpers/runs-temp';
import { TRAINER_DIR } from '../helpers/runs-trainer-image';
import {
  attempts,
  expectLossWithinBound,
  expectNothingDoubled,
  FAULT_EPOCHS,
  faultSettings,
  lastCheckpoint,
  openDashboard,
} from './fault-kit';
import { FaultSuite, pastFirstCheckpoint } from './fault-suite';

// Faults of the Docker Engine itself, on the suite's private engine (scripts/private-dockerd.sh):
// shut down (SIGTERM) and killed (SIGKILL, with its containers) mid-run, the app killed while the
// engine is down, and a resume asked for while it is down. Every case leaves the engine running.
const ROOT = path.resolve(__dirname, '../..');
const suite = new FaultSuite('daemon');
let childScript: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  await suite.setUp();
  childScript = await bundleChildCore('faults-test');
});

afterEach(async () => {
  await startDaemon(); // whatever a case did, the next one (and the next stage) finds the engine up
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(childScript, { force: true });
  expect(await suite.tearDown()).toBeNull();
});

describe('the Docker Engine goes away mid-run', () => {
  it('shut down (SIGTERM): the trainer saves and the run is "stopped by Docker", resumable with nothing lost', async () => {
    const h = suite.harness();
    const { id } = await h.service.create(faultSettings(suite.seed.dataset));
    const dashboard = await openDashboard(h, id);
    await pastFirstCheckpoint(h, id);
    await stopDaemon(); // dockerd sends the containers SIGTERM, waits, then exits
    const stopped = await h.waitStatus(id, ['stopped', 'failed', 'finished'], 120_000);
    expect(stopped).toMatchObject({ status: 'stopped', stopCause: 'docker', resumable: true, failure: null });

    await startDaemon();
    const since = h.updates.length;
    await h.service.resume(id);
    const done = await h.waitStatus(id, ['finished', 'failed', 'stopped'], 300_000, since);
    expect(done).toMatchObject({ status: 'finished', failure: null, epochsDone: FAULT_EPOCHS });
    expect(done.stopCause).toBeUndefined();
    expectLossWithinBound(path.join(h.paths.runsDir, id), 0, true);
    await expectNothingDoubled(h, id, dashboard);
    expect(await h.containers(id)).toEqual([]); // the exited container of the first attempt too
  });

  it('killed (SIGKILL, containers with it): "docker_gone", at most the epoch in progress lost, resume works', async () => {
    const h = suite.harness();
    const { id } = await h.service.create(faultSettings(suite.seed.dataset));
    const dashboard = await openDashboard(h, id);
    await pastFirstCheckpoint(h, id);
    await killDaemon();
    const gone = await h.waitStatus(id, ['failed', 'stopped', 'finished'], 60_000);
    expect(gone).toMatchObject({ status: 'failed', resumable: true, failure: { cause: 'docker_gone' } });
    expect(gone.failure!.message).toMatch(/Docker/);
    expect(gone.failure!.fix).toMatch(/Start Docker.*resume/i);

    await startDaemon();
    expect((await h.service.summary(id)).failure?.cause).toMatch(/^(docker_gone|killed)$/);
    const since = h.updates.length;
    await h.service.resume(id);
    const done = await h.waitStatus(id, ['finished', 'failed', 'stopped'], 300_000, since);
    expect(done).toMatchObject({ status: 'finished', failure: null, epochsDone: FAULT_EPOCHS });
    expectLossWithinBound(path.join(h.paths.runsDir, id), 0);
    await expectNothingDoubled(h, id, dashboard);
    expect(await h.containers(id)).toEqual([]);
  });

  it('the app is killed while the engine is down; both restart and agree on a resumable run', async () => {
    const dataDir = fs.mkdtempSync(path.join(suite.dir, 'data-'));
    fs.cpSync(suite.seed.weights, path.join(dataDir, 'weights'), { recursive: true, verbatimSymlinks: true });
    const child = spawn(
      process.execPath,
      [childScript, JSON.stringify({ dataDir, image: suite.image, settings: faultSettings(suite.seed.dataset) })],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
    );
    children.push(child);
    const said: Array<{ kind: string; id?: string; message?: string }> = [];
    readline.createInterface({ input: child.stdout! }).on('line', (line) => said.push(JSON.parse(line)));
    const created = await waitFor(
      () => said.find((m) => m.kind === 'created' || m.kind === 'error'),
      60_000,
      'created',
    );
    expect(created).toMatchObject({ kind: 'created' });
    const id = created.id!;
    const runDir = path.join(dataDir, 'runs', id);
    await waitFor(
      () => {
        const [first] = fs.existsSync(path.join(runDir, 'output', 'metrics.jsonl')) ? attempts(runDir) : [];
        const at = first && lastCheckpoint(first);
        return at && first.some((e) => e.type === 'step' && (e.global_step as number) > at.global_step)
          ? true
          : undefined;
      },
      240_000,
      'a step after the first checkpoint',
    );

    // Frozen first, so that it cannot see the engine go; killed while the engine is down.
    child.kill('SIGSTOP');
    await stopDaemon();
    child.kill('SIGKILL');
    await new Promise((resolve) =>
      child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(null),
    );
    expect(JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8')).status).toBe('running');

    await startDaemon();
    const h = suite.harness({}, dataDir);
    await h.service.start(); // reattach: the container exited (it saved and stopped on Docker's SIGTERM)
    const back = await waitFor(
      async () => {
        const s = await h.service.summary(id);
        return ['stopped', 'failed', 'finished'].includes(s.status) ? s : undefined;
      },
      60_000,
      'the run to be classified after the restart',
    );
    expect(back).toMatchObject({ status: 'stopped', stopCause: 'docker', resumable: true, failure: null });
    // state.json follows the summary by one atomic write (the core updates its memory, then saves)
    const state = await waitFor(
      () => {
        const saved = JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8'));
        return saved.status === 'running' ? undefined : saved;
      },
      10_000,
      'state.json to record the outcome',
    );
    expect(state).toMatchObject({ status: 'stopped', resumable: true, attempts: 1 });
    expect(await h.containers(id)).toEqual([]);

    const dashboard = await openDashboard(h, id);
    const since = h.updates.length;
    await h.service.resume(id);
    const done = await h.waitStatus(id, ['finished', 'failed', 'stopped'], 300_000, since);
    expect(done).toMatchObject({ status: 'finished', failure: null, epochsDone: FAULT_EPOCHS });
    expectLossWithinBound(runDir, 0, true);
    await expectNothingDoubled(h, id, dashboard);
  });

  it('resume while the engine is down: "docker_gone" (no attempt counted, never "image missing"), Resume after', async () => {
    // A run stopped by the user, with a checkpoint, made by a harness that is then closed.
    const first = suite.harness();
    const { id } = await first.service.create(faultSettings(suite.seed.dataset));
    await pastFirstCheckpoint(first, id);
    await first.service.stop(id);
    await first.waitStatus(id, ['stopped', 'failed', 'finished'], 60_000);
    await suite.close(first);
    const dataDir = first.paths.dataDir;
    const runDir = path.join(first.paths.runsDir, id);
    const attemptsBefore = JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8')).attempts as number;

    // The app's whole core on that data folder (its image service, its run service).
    const core = await createCore({
      shell: 'serve',
      version: '0.0.0-faults',
      dataDir,
      trainerDir: TRAINER_DIR,
      baseImage: TWIN_IMAGE,
      docker: suite.docker,
      background: false,
    });
    try {
      await stopDaemon();
      const image = await core.handlers['image.status']({});
      expect(image).toMatchObject({ state: 'unknown', needsConsent: false, downloadBytes: null });
      expect(image.error?.message).toMatch(/Docker is not answering/);

      await core.handlers['runs.resume']({ id }).catch(() => undefined);
      const failed = await waitFor(
        async () => {
          const s = (await core.handlers['runs.list']({})).find((r) => r.id === id);
          return s && ['failed', 'stopped', 'finished', 'running'].includes(s.status) ? s : undefined;
        },
        60_000,
        'the resume to end',
      );
      expect(failed).toMatchObject({ status: 'failed', resumable: true, failure: { cause: 'docker_gone' } });
      expect(failed.failure!.message).toMatch(/Docker is not answering/);
      expect(failed.failure!.message).not.toMatch(/image/i);
      expect(failed.failure!.fix).toMatch(/Start Docker/);
      const state = JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8'));
      expect(state.attempts).toBe(attemptsBefore);

      await startDaemon();
      expect((await core.handlers['image.status']({})).state).not.toBe('unknown');
      const back = await waitFor(
        async () => {
          const s = (await core.handlers['runs.list']({})).find((r) => r.id === id);
          return s?.failure && /Docker is running again/.test(s.failure.message) ? s : undefined;
        },
        30_000,
        'the run to say Docker is back',
      );
      expect(back).toMatchObject({ status: 'failed', resumable: true, failure: { cause: 'docker_gone' } });
    } finally {
      await core.close();
    }

    // Resume (in a harness: its containers use one CPU thread) finishes with nothing lost or doubled.
    const h = suite.harness({}, dataDir);
    const dashboard = await openDashboard(h, id);
    await h.service.resume(id);
    const done = await h.waitStatus(id, ['finished', 'failed', 'stopped'], 300_000);
    expect(done).toMatchObject({ status: 'finished', failure: null, epochsDone: FAULT_EPOCHS });
    expect(JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8')).attempts).toBe(attemptsBefore + 1);
    expectLossWithinBound(runDir, 0, true);
    await expectNothingDoubled(h, id, dashboard);
  });
});
