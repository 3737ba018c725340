import fs from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImageProgress, type ImageStatus } from '../../electron/contract';
import { SettingsFile } from '../../electron/core/app/app-settings';
import { createCore } from '../../electron/core/app-core';
import { dispatchCall } from '../../electron/core/dispatch';
import { EventBus } from '../../electron/core/event-bus';
import { ImageService } from '../../electron/core/images/image-service';
import { requireTwinImage, testDocker, TWIN_IMAGE } from '../helpers/docker-env';
import { fixturePath } from '../helpers/fixtures';
import { removeImages } from '../helpers/local-registry';
import { damageLastLayer, makeTinyImage, readTar, saveImage, toOciLayout } from '../helpers/save-archives';

// The offline route to the base image against the real engine: a `docker save` archive made here is
// loaded through the image service with byte progress and its digests checked; an image already on
// the engine is chosen and checked for PyTorch; the choice is remembered; removed images are noticed.

const TINY = 'deit-env-test/offline-tiny:1';
const REPOSITORY = 'deit-env-test/offline-trainer';
let docker: Dockerode;
let dir: string;
let archive: string;
let tinyId: string;

function service(settingsDir = dir, baseImage = TWIN_IMAGE, trainerDir = dir) {
  const bus = new EventBus();
  const events: ImageProgress[] = [];
  bus.on('image.progress', (p) => events.push(p));
  const images = new ImageService({
    docker: async () => docker,
    bus,
    trainerDir,
    baseImage,
    repository: REPOSITORY,
    settings: new SettingsFile(settingsDir),
    progressIntervalMs: 0,
  });
  return { images, events };
}

/** Waits until the image service's pull, load or build has ended; returns the status then. */
async function settled(images: ImageService): Promise<ImageStatus> {
  for (let i = 0; i < 1200; i++) {
    const status = await images.status();
    if (!['loading', 'pulling', 'building'].includes(status.state)) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the image service did not finish in 2 minutes');
}

async function imageId(tag: string): Promise<string | null> {
  return docker
    .getImage(tag)
    .inspect()
    .then((i) => (i as { Id: string }).Id)
    .catch(() => null);
}

beforeAll(async () => {
  docker = await testDocker();
  await requireTwinImage(docker);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-env-test-offline-'));
  await removeImages(docker, 'deit-env-test/offline-');
  tinyId = await makeTinyImage(docker, TINY);
  archive = path.join(dir, 'tiny.tar');
  await saveImage(docker, TINY, archive);
});

afterAll(async () => {
  await removeImages(docker, 'deit-env-test/offline-');
  await fs.rm(dir, { recursive: true, force: true });
});

describe('offline: the base image from a docker save archive', () => {
  it('loads the archive with byte progress, checks its digests, and remembers the choice', async () => {
    await docker.getImage(TINY).remove();
    expect(await imageId(TINY)).toBeNull();
    const { images, events } = service();
    const started = await images.loadArchive(archive);
    expect(started.state).toBe('loading');
    const status = await settled(images);

    const size = (await fs.stat(archive)).size;
    const loading = events.filter((e) => e.phase === 'loading');
    expect(loading.length).toBeGreaterThan(0);
    expect(loading.every((e) => e.bytesTotal === size)).toBe(true);
    for (let i = 1; i < loading.length; i++)
      expect(loading[i]!.bytesDone).toBeGreaterThanOrEqual(loading[i - 1]!.bytesDone);
    expect(loading.at(-1)?.bytesDone).toBe(size);
    expect(events.at(-1)).toMatchObject({ phase: 'done' });

    // The very image that was saved is back (same id: config digest), and it is now the base.
    expect(await imageId(TINY)).toBe(tinyId);
    const manifest = JSON.parse((await readTar(archive)).get('manifest.json')!.toString()) as Array<{ Config: string }>;
    expect(tinyId).toBe(`sha256:${path.basename(manifest[0]!.Config, '.json')}`);
    expect(status).toMatchObject({
      baseImage: TINY,
      basePresent: true,
      baseChosen: true,
      defaultBaseImage: TWIN_IMAGE,
      baseCheck: { image: TINY, verdict: 'no_python', torchVersion: null },
    });
    expect(status.state).toBe('missing'); // the trainer is not built on it yet

    // Remembered in the settings: a new session (a restarted app) builds on the same base.
    const again = await service().images.status();
    expect(again).toMatchObject({ baseImage: TINY, baseChosen: true, baseCheck: { verdict: 'no_python' } });
    const settings = JSON.parse(await fs.readFile(path.join(dir, 'settings.json'), 'utf8')) as { baseImage: string };
    expect(settings.baseImage).toBe(TINY);
  });

  it('loads the OCI layout of Docker 25+ and a gzip-compressed archive', async () => {
    const oci = path.join(dir, 'tiny-oci.tar');
    await toOciLayout(archive, oci);
    const gz = path.join(dir, 'tiny-oci.tar.gz');
    await pipeline(createReadStream(oci), zlib.createGzip(), createWriteStream(gz));
    for (const file of [oci, gz]) {
      await docker.getImage(TINY).remove();
      const { images } = service(await fs.mkdtemp(path.join(dir, 'settings-')));
      await images.loadArchive(file);
      const status = await settled(images);
      expect(status.error, file).toBeUndefined();
      expect(status.baseImage).toBe(TINY);
      expect(await imageId(TINY)).toBe(tinyId);
    }
  });

  it('refuses a damaged archive and leaves nothing of it on the engine', async () => {
    const damaged = path.join(dir, 'tiny-damaged.tar');
    const layer = await damageLastLayer(archive, damaged);
    // Once with the good image absent, once with it present: a damaged copy must not cost the good one.
    await docker.getImage(TINY).remove();
    const { images } = service(await fs.mkdtemp(path.join(dir, 'settings-')));
    await images.loadArchive(damaged);
    const status = await settled(images);
    expect(status.state).toBe('error');
    // Our own check names the file, also where the engine noticed first (it stops reading; we read on).
    expect(status.error).toMatchObject({ kind: 'validation', detail: 'archive_damaged' });
    expect(status.error?.message).toBe(`The archive is damaged: ${layer} does not match its checksum.`);
    expect(await imageId(TINY)).toBeNull();
    expect(status.baseChosen).toBe(false);

    await images.loadArchive(archive);
    expect((await settled(images)).baseImage).toBe(TINY);
    await images.loadArchive(damaged);
    expect((await settled(images)).state).toBe('error');
    expect(await imageId(TINY)).toBe(tinyId);
  });

  it('air-gapped: an archive of the base and the training image made elsewhere is ready at once', async () => {
    // The training image prepared on a connected machine (same app version: same tag), saved together
    // with its base. Here a stand-in: the tiny image tagged as the trainer the service expects.
    const settingsDir = await fs.mkdtemp(path.join(dir, 'settings-'));
    const context = await fs.mkdtemp(path.join(dir, 'context-'));
    await fs.cp(fixturePath('docker', 'trainer-tiny'), context, { recursive: true });
    const trainerTag = await service(settingsDir, TINY, context).images.tag();
    await docker.getImage(TINY).tag({ repo: REPOSITORY, tag: trainerTag.split(':')[1] });
    const both = path.join(dir, 'base-and-trainer.tar');
    // `docker save A B` (dockerode has getImages; its types do not).
    const saveMany = docker as unknown as { getImages(o: { names: string[] }): Promise<NodeJS.ReadableStream> };
    const stream = await saveMany.getImages({ names: [TINY, trainerTag] });
    await pipeline(stream, createWriteStream(both));
    await docker.getImage(trainerTag).remove();
    await docker.getImage(TINY).remove();

    const { images } = service(settingsDir, TWIN_IMAGE, context); // the archive's base replaces the default
    await images.loadArchive(both);
    const status = await settled(images);
    expect(status).toMatchObject({ baseImage: TINY, tag: trainerTag, state: 'ready' });
  });

  it('says what is wrong with a file that is not a docker save archive', async () => {
    const notTar = path.join(dir, 'notes.txt');
    await fs.writeFile(notTar, 'these are not the layers you are looking for\n'.repeat(100));
    const { images } = service(await fs.mkdtemp(path.join(dir, 'settings-')));
    await images.loadArchive(notTar);
    const status = await settled(images);
    expect(status.state).toBe('error');
    expect(status.error?.message).toMatch(/not .*image archive|not a readable/i);
    await expect(images.loadArchive(path.join(dir, 'nope.tar')).then(() => settled(images))).resolves.toMatchObject({
      state: 'error',
      error: { kind: 'not_found' },
    });
  });
});

describe('offline: an image already on the engine', () => {
  it('lists tagged images, checks the chosen one for PyTorch 2.6, and goes back to the default', async () => {
    const settingsDir = await fs.mkdtemp(path.join(dir, 'settings-'));
    const { images } = service(settingsDir, 'pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime');
    const local = await images.localImages();
    expect(local.map((i) => i.tag)).toContain(TWIN_IMAGE);
    expect(local.some((i) => i.tag.startsWith('deit-studio/trainer:'))).toBe(false);

    const chosen = await images.useBase(TWIN_IMAGE);
    expect(chosen).toMatchObject({
      baseImage: TWIN_IMAGE,
      basePresent: true,
      baseChosen: true,
      baseCheck: { verdict: 'pytorch_2_6', torchVersion: expect.stringMatching(/^2\.6\./) },
    });
    await expect(images.useBase('deit-env-test/offline-nothing:1')).rejects.toMatchObject({ kind: 'not_found' });
    const reset = await images.useBase(null);
    expect(reset).toMatchObject({ baseImage: 'pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime', baseChosen: false });
    expect(reset.baseCheck).toBeUndefined();
  });
});

describe('the app remembers the base', () => {
  it('through createCore and the contract, across a restart of the core', async () => {
    const dataDir = await fs.mkdtemp(path.join(dir, 'data-'));
    const options = {
      shell: 'serve' as const,
      version: '0.0.0-test',
      dataDir,
      trainerDir: fixturePath('docker', 'trainer-tiny'),
      baseImage: 'pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime',
      docker,
      background: false,
    };
    const first = await createCore(options);
    const chosen = await dispatchCall(first.handlers, 'image.useBase', { image: TWIN_IMAGE });
    await first.close();
    expect(chosen).toMatchObject({ ok: true, value: { baseImage: TWIN_IMAGE, baseChosen: true } });
    const second = await createCore(options);
    const status = await dispatchCall(second.handlers, 'image.status', {});
    await second.close();
    expect(status).toMatchObject({
      ok: true,
      value: { baseImage: TWIN_IMAGE, baseChosen: true, baseCheck: { verdict: 'pytorch_2_6' } },
    });
  });
});

describe('check again: the engine is asked every time', () => {
  it('notices a training image removed behind the app', async () => {
    const context = await fs.mkdtemp(path.join(dir, 'context-'));
    await fs.cp(fixturePath('docker', 'trainer-tiny'), context, { recursive: true });
    const { images } = service(await fs.mkdtemp(path.join(dir, 'settings-')), TWIN_IMAGE, context);
    await images.ensureAndWait({ consent: false });
    const ready = await images.status();
    expect(ready.state).toBe('ready');
    await docker.getImage(ready.tag).remove({ force: true });
    expect((await images.status()).state).toBe('missing');
  });

  it('reports an engine that does not answer as such, never as a missing image', async () => {
    const gone = new Dockerode({ socketPath: path.join(dir, 'no-engine.sock') });
    const images = new ImageService({
      docker: async () => gone,
      bus: new EventBus(),
      trainerDir: dir,
      baseImage: TWIN_IMAGE,
      settings: new SettingsFile(dir),
    });
    const status = await images.status();
    expect(status).toMatchObject({ state: 'unknown', needsConsent: false, downloadBytes: null });
    expect(status.error?.kind).toBe('docker_unreachable');
    expect(status.error?.message).toMatch(/^Docker is not answering/);
  });
});
