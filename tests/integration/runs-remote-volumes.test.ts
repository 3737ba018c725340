import type Dockerode from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDocker } from '../helpers/docker-env';
import { TEST_PREFIX } from '../helpers/runs-harness';
import { tempDir } from '../helpers/runs-temp';
import { testTrainerImage } from '../helpers/runs-trainer-image';
import { datasetContent } from '../../electron/core/runs/place/dataset-hash';
import { COMPLETE_MARKER, ensureDatasetVolume, SendStopped } from '../../electron/core/runs/place/dataset-volume';
import { pathExists, volumeNames, withHolder } from '../../electron/core/runs/place/volume-containers';

// The dataset volume on a server (dataset-volume.ts) against the real engine: sent once, keyed by
// content, and an interrupted send (a volume without its marker) emptied and sent again.
let docker: Dockerode;
let image: string;
let suite: { dir: string; cleanup: () => void };
const prefix = `${TEST_PREFIX}-vol`;

beforeAll(async () => {
  docker = await testDocker();
  image = await testTrainerImage(docker);
  suite = tempDir('deit-runs-test-volumes-');
});

afterAll(async () => {
  const volumes = (await docker.listVolumes()).Volumes ?? [];
  for (const volume of volumes.filter((v) => v.Name.startsWith(`${prefix}-`))) {
    await docker
      .getVolume(volume.Name)
      .remove()
      .catch(() => undefined);
  }
  suite?.cleanup();
});

function makeDataset(name: string): string {
  const root = path.join(suite.dir, name);
  for (let i = 0; i < 20; i++) {
    const file = path.join(root, `class_${i % 2}`, `img ${i}.bin`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.alloc(1000 + i, i)); // content unique to this test run below
  }
  fs.writeFileSync(path.join(root, 'class_0', 'run.txt'), `${process.pid}-${Date.now()}`);
  return root;
}

async function volumeFiles(volume: string): Promise<string[]> {
  const mounts = [{ volume, target: '/v' }];
  return withHolder(docker, { image, dataDir: suite.dir, namePrefix: prefix, mounts, role: 'list' }, async (c) => {
    const names: string[] = [];
    const extract = tar.extract();
    await new Promise<void>((resolve, reject) => {
      extract.on('entry', (header, entry, next) => {
        if (header.type === 'file') names.push(header.name);
        entry.resume();
        entry.on('end', next);
      });
      extract.on('finish', resolve);
      extract.on('error', reject);
      void c.getArchive({ path: '/v' }).then((s) => s.pipe(extract), reject);
    });
    return names.sort();
  });
}

describe('the dataset volume on a server', () => {
  it('a send stopped part way leaves no marker, so the next run sends it again in full', async () => {
    const root = makeDataset('stopped');
    const content = await datasetContent(root, path.join(suite.dir, 'hashes.json'));
    let asked = 0;
    const base = { content, image, dataDir: suite.dir, namePrefix: prefix, label: 'gpu.test', log: () => undefined };
    await expect(ensureDatasetVolume(docker, { ...base, shouldStop: () => ++asked > 3 })).rejects.toBeInstanceOf(
      SendStopped,
    );
    const volume = volumeNames(prefix).dataset(content.hash);
    expect(await volumeFiles(volume)).not.toContain(`v/${COMPLETE_MARKER}`);
    expect((await ensureDatasetVolume(docker, base)).sentBytes).toBe(content.bytes);
    expect(await volumeFiles(volume)).toContain(`v/${COMPLETE_MARKER}`);
  });

  it('is sent once (every byte), then not again; its name is the content hash', async () => {
    const root = makeDataset('once');
    const content = await datasetContent(root, path.join(suite.dir, 'hashes.json'));
    const lines: string[] = [];
    const input = {
      content,
      image,
      dataDir: suite.dir,
      namePrefix: prefix,
      label: 'gpu.test',
      log: (l: string[]) => lines.push(...l),
    };
    const first = await ensureDatasetVolume(docker, input);
    expect(first.volume).toBe(volumeNames(prefix).dataset(content.hash));
    expect(first.sentBytes).toBe(content.bytes);
    expect(lines.join('\n')).toMatch(/Sending the dataset to gpu\.test: .* of .* MB, 21 of 21 files/);
    const second = await ensureDatasetVolume(docker, input);
    expect(second).toEqual({ volume: first.volume, sentBytes: 0 });
    const files = await volumeFiles(first.volume);
    expect(files).toContain(`v/${COMPLETE_MARKER}`);
    expect(files.filter((f) => f.startsWith('v/images/'))).toHaveLength(21);
    expect((await docker.getVolume(first.volume).inspect()).Labels).toMatchObject({
      'deit-studio.dataset': content.hash,
    });
  });

  it('a volume without its marker (an interrupted send) is emptied and sent again', async () => {
    const root = makeDataset('interrupted');
    const content = await datasetContent(root, path.join(suite.dir, 'hashes.json'));
    const volume = volumeNames(prefix).dataset(content.hash);
    await docker.createVolume({ Name: volume });
    const half = tar.pack();
    half.entry({ name: 'images/class_0/img 0.bin' }, 'half of it');
    half.entry({ name: 'images/stray.bin' }, 'left from before');
    half.finalize();
    const mounts = [{ volume, target: '/v' }];
    await withHolder(docker, { image, dataDir: suite.dir, namePrefix: prefix, mounts, role: 'half' }, (c) =>
      c.putArchive(half, { path: '/v' }),
    );
    const lines: string[] = [];
    const sent = await ensureDatasetVolume(docker, {
      content,
      image,
      dataDir: suite.dir,
      namePrefix: prefix,
      label: 'gpu.test',
      log: (l) => lines.push(...l),
    });
    expect(sent.sentBytes).toBe(content.bytes);
    expect(lines.join('\n')).toContain('did not finish: sending it again from the start');
    const files = await volumeFiles(volume);
    expect(files).not.toContain('v/images/stray.bin');
    expect(files).toContain(`v/${COMPLETE_MARKER}`);
    await withHolder(docker, { image, dataDir: suite.dir, namePrefix: prefix, mounts, role: 'check' }, async (c) => {
      expect(await pathExists(c, '/v/images/class_0/img 0.bin')).toBe(true);
    });
  });
});
