import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type ImageProgress } from '../../electron/contract';
import { EventBus } from '../../electron/core/event-bus';
import { ImageService, type ImageServiceOptions } from '../../electron/core/images/image-service';
import { testDocker, TWIN_IMAGE } from '../helpers/docker-env';
import { fixturePath } from '../helpers/fixtures';
import { pushLayeredImage, removeImages, startLocalRegistry, type LocalRegistry } from '../helpers/local-registry';

const REPOSITORY = 'deit-env-test/trainer';
let docker: Dockerode;
let registry: LocalRegistry;
const tempDirs: string[] = [];

/** A copy of a fixture build context in a temp folder, so a test may edit it. */
async function context(name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `deit-env-test-${name}-`));
  tempDirs.push(dir);
  await fs.cp(fixturePath('docker', name), dir, { recursive: true });
  return dir;
}

function service(trainerDir: string, options: Partial<ImageServiceOptions> = {}) {
  const bus = new EventBus();
  const events: ImageProgress[] = [];
  bus.on('image.progress', (p) => events.push(p));
  const images = new ImageService({
    docker: async () => docker,
    bus,
    trainerDir,
    baseImage: TWIN_IMAGE,
    repository: REPOSITORY,
    progressIntervalMs: 0,
    ...options,
  });
  return { images, events };
}

/** Containers whose command contains a marker (intermediate build containers of our fixtures). */
async function containersWith(marker: string): Promise<string[]> {
  const all = await docker.listContainers({ all: true });
  return all.filter((c) => c.Command.includes(marker)).map((c) => c.Id);
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  docker = await testDocker();
  registry = await startLocalRegistry();
});

afterAll(async () => {
  await removeImages(docker, `${REPOSITORY}:`);
  await removeImages(docker, `${registry.host}/deit-env-test/`);
  await registry.stop();
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

describe('the training image against the real Docker Engine', () => {
  it('builds the trainer on the base, tagged by content hash, and does not rebuild it', async () => {
    const dir = await context('trainer-tiny');
    const { images, events } = service(dir);
    const before = await images.status();
    expect(before).toMatchObject({ state: 'missing', basePresent: true, needsConsent: false, downloadBytes: 0 });
    expect(before.tag).toMatch(/^deit-env-test\/trainer:[0-9a-f]{12}$/);

    const [first, second] = await Promise.all([images.ensure({ consent: false }), images.ensure({ consent: false })]);
    expect([first.state, second.state]).toEqual(['building', 'building']); // a double click starts one build
    // A window opened mid-build asks image.status: it carries where the build is.
    const seen: ImageProgress[] = [];
    let building = true;
    const watching = (async () => {
      while (building) {
        const now = await images.status();
        if (now.progress) seen.push(now.progress);
      }
    })();
    const ready = await images.ensureAndWait({ consent: false });
    building = false;
    await watching;
    expect(ready).toMatchObject({ state: 'ready', tag: before.tag });
    expect(ready.progress).toBeUndefined();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => events.some((e) => e.message === p.message && e.phase === p.phase))).toBe(true);
    expect(events.filter((e) => e.phase === 'checking')).toHaveLength(1);
    expect(events[0]?.phase).toBe('checking');
    expect(events.at(-1)?.phase).toBe('done');
    const steps = events.slice(1, -1);
    expect(steps.every((e) => e.phase === 'building')).toBe(true);
    expect(steps.map((e) => e.layersDone)).toEqual(steps.map((_, i) => i)); // one event per Dockerfile step, in order
    expect(steps.some((e) => e.message.includes('RUN python3 /opt/deit-env-test/hello.py'))).toBe(true);
    const built = await docker.getImage(before.tag).inspect();
    expect(built.Config.Labels).toMatchObject({
      'deit-env-test.base-image': TWIN_IMAGE, // BASE_IMAGE reached the Dockerfile
      'deit-studio.trainer-hash': before.tag.split(':')[1],
    });

    events.length = 0;
    const again = await images.ensure({ consent: false });
    expect(again.state).toBe('ready');
    expect(events).toEqual([]);
    expect((await docker.getImage(before.tag).inspect()).Id).toBe(built.Id);

    await fs.writeFile(path.join(dir, 'hello.py'), 'print("changed")\n');
    const changed = await images.status();
    expect(changed.tag).not.toBe(before.tag);
    expect(changed.state).toBe('missing');
  });

  it('pulls a missing base with monotone per-layer progress, then builds on it', async () => {
    const base = await pushLayeredImage(
      docker,
      registry,
      'deit-env-test/pull-base:1',
      [6_000_000, 3_000_000, 1_500_000],
    );
    const { images, events } = service(await context('trainer-copy-only'), { baseImage: base });

    const status = await images.status();
    expect(status).toMatchObject({ basePresent: false, downloadBytes: null, needsConsent: true });
    const refused = await images.ensure({ consent: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ kind: 'validation', detail: 'needs_consent' });

    await images.ensureAndWait({ consent: true });
    const pulling = events.filter((e) => e.phase === 'pulling');
    expect(pulling.length).toBeGreaterThan(5);
    for (let i = 1; i < pulling.length; i++) {
      expect(pulling[i]!.bytesDone).toBeGreaterThanOrEqual(pulling[i - 1]!.bytesDone);
      expect(pulling[i]!.layersDone).toBeGreaterThanOrEqual(pulling[i - 1]!.layersDone);
    }
    const last = pulling.at(-1)!;
    expect(last).toMatchObject({ layersDone: 3, layersTotal: 3 });
    expect(last.bytesTotal).toBe(last.bytesDone);
    expect(last.bytesDone).toBeGreaterThan(10_000_000); // random data: compressed layers are as big as the files
    expect(events.at(-1)?.phase).toBe('done');
    expect((await images.status()).state).toBe('ready');
  });

  it('cancels a build midway: no image, no leftover build container', async () => {
    const { images, events } = service(await context('trainer-slow'));
    const started = await images.ensure({ consent: false });
    expect(started.state).toBe('building');
    await until(() => events.some((e) => e.message.includes('sleep 60')), 60_000, 'the slow build step');
    await until(
      async () => (await containersWith('deit-env-test-slow-step')).length > 0,
      30_000,
      'the build container',
    );

    const t0 = Date.now();
    const cancelled = await images.cancel();
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(cancelled.state).toBe('cancelled');
    expect(events.at(-1)?.phase).toBe('cancelled');
    await expect(docker.getImage(started.tag).inspect()).rejects.toThrow();
    await until(
      async () => (await containersWith('deit-env-test-slow-step')).length === 0,
      30_000,
      'the engine to remove the build container',
    );
  });

  it('cancels a pull midway, and a later ensure gets the image', async () => {
    const base = await pushLayeredImage(docker, registry, 'deit-env-test/pull-cancel:1', [16_000_000, 8_000_000]);
    const { images, events } = service(await context('trainer-copy-only'), { baseImage: base });
    expect((await images.ensure({ consent: true })).state).toBe('pulling');
    await until(() => events.some((e) => e.phase === 'pulling' && e.layersTotal > 0), 30_000, 'the pull to start');
    const cancelled = await images.cancel();
    expect(cancelled.state).toBe('cancelled');
    expect(events.at(-1)?.phase).toBe('cancelled');
    expect(events.some((e) => e.phase === 'building')).toBe(false);

    events.length = 0;
    expect((await images.ensureAndWait({ consent: true })).state).toBe('ready');
    expect(events.at(-1)?.phase).toBe('done');
  });

  it('reports a failing build step as a typed error with the step output', async () => {
    const { images, events } = service(await context('trainer-failing'));
    const error = await images.ensureAndWait({ consent: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      kind: 'docker_error',
      message: 'Building the training image failed at one of its steps.',
    });
    expect((error as AppError).detail).toMatch(
      /deit-env-test-failing-step[\s\S]*returned a non-zero code: 3|returned a non-zero code: 3[\s\S]*deit-env-test-failing-step/,
    );
    expect(events.at(-1)).toMatchObject({ phase: 'error', error: { kind: 'docker_error' } });
    expect((await images.status()).state).toBe('error');
    expect(await containersWith('deit-env-test-failing-step')).toEqual([]);
  });

  it('checks the disk first and says how much space is needed', async () => {
    const dir = await context('trainer-tiny');
    await fs.writeFile(path.join(dir, 'hello.py'), 'print("not built yet")\n');
    const { images, events } = service(dir, { freeBytes: async () => 1e9 });
    const error = await images.ensure({ consent: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'disk_full' });
    expect((error as AppError).message).toMatch(/needs about 3\.5 GB .*; 1\.0 GB is free/);
    expect(events).toEqual([]);
  });
});
