import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageProgress } from '../../electron/contract';
import { EventBus } from '../../electron/core/event-bus';
import { readExtraCaPem } from '../../electron/core/images/extra-ca-certificates';
import { ImageService } from '../../electron/core/images/image-service';
import { testDocker, TWIN_IMAGE } from '../helpers/docker-env';

const TRAINER_DIR = fileURLToPath(new URL('../../docker/', import.meta.url));
const REPOSITORY = 'deit-env-test/trainer-real';
let docker: Dockerode;

beforeAll(async () => {
  docker = await testDocker();
});

/** Runs the image's default command (`python -m deit_trainer health`) without network; returns exit code and output. */
async function health(tag: string): Promise<{ code: number; output: string }> {
  const container = await docker.createContainer({
    Image: tag,
    name: `deit-env-test-health-${Date.now()}`,
    User: '1000:1000',
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    return { code: StatusCode, output: logs.toString('utf8') };
  } finally {
    await container.remove({ force: true });
  }
}

describe("the app's own trainer image (docker/), built on the CPU twin", () => {
  it('builds through the image service, runs its health check, and is not rebuilt by a second ensure', async () => {
    const bus = new EventBus();
    const events: ImageProgress[] = [];
    bus.on('image.progress', (p) => events.push(p));
    const images = new ImageService({
      docker: async () => docker,
      bus,
      trainerDir: TRAINER_DIR,
      baseImage: TWIN_IMAGE,
      repository: REPOSITORY,
      extraCaPem: () => readExtraCaPem(),
    });
    const tag = await images.tag();
    // Keep the run lean: untag an image left by an earlier run but keep its layers, so the build below
    // goes through every step again mostly from the cache instead of downloading from PyPI again.
    for (const image of await docker.listImages({ filters: { reference: [REPOSITORY] } })) {
      for (const t of image.RepoTags ?? [])
        await docker
          .getImage(t)
          .remove({ noprune: true })
          .catch(() => undefined);
    }
    expect((await images.status()).state).toBe('missing');

    const ready = await images.ensureAndWait({ consent: false });
    expect(ready).toMatchObject({ state: 'ready', tag });
    expect(events.some((e) => e.phase === 'building' && /COPY requirements\.txt/.test(e.message))).toBe(true);
    const built = await docker.getImage(tag).inspect();
    expect(built.Config.Labels).toMatchObject({
      'deit-studio.component': 'trainer',
      'deit-studio.trainer-hash': tag.split(':')[1],
      'deit-studio.base-image': TWIN_IMAGE,
    });

    const { code, output } = await health(tag);
    expect(output).toMatch(/\S/);
    expect(code).toBe(0);

    events.length = 0;
    expect((await images.ensure({ consent: false })).state).toBe('ready');
    expect(events).toEqual([]);
    expect((await docker.getImage(tag).inspect()).Id).toBe(built.Id);
  });
});
