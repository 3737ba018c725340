import type Dockerode from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import tar from 'tar-stream';
import { ensureVolume, ownVolume, volumeNames, withHolder } from '../../electron/core/runs/place/volume-containers';

/** What the helpers below need: the engine, the trainer image, the volumes' name prefix, a data-dir label. */
export interface VolumeTestEnv {
  docker: Dockerode;
  image: string;
  namePrefix: string;
  dataDir: string;
}

/**
 * Puts the fake hub cache (tests/trainer/make_fake_weights.py, relative links kept) into the server's
 * weights volume, owned by this process's user, as a weights-fetch step on the server would have left it.
 */
export async function seedWeightsVolume(env: VolumeTestEnv, weightsDir: string): Promise<void> {
  const volume = volumeNames(env.namePrefix).weights;
  const common = { image: env.image, dataDir: env.dataDir, namePrefix: env.namePrefix };
  const owner = { uid: process.getuid!(), gid: process.getgid!() };
  await env.docker
    .getVolume(volume)
    .remove()
    .catch(() => undefined);
  await ensureVolume(env.docker, volume, {});
  await ownVolume(env.docker, volume, owner, common);
  const pack = tar.pack();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(weightsDir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      const abs = path.join(weightsDir, name);
      if (entry.isDirectory()) {
        pack.entry({ name: `${name}/`, type: 'directory', mode: 0o755, ...owner });
        walk(name);
      } else if (entry.isSymbolicLink()) {
        pack.entry({ name, type: 'symlink', linkname: fs.readlinkSync(abs), ...owner });
      } else {
        pack.entry({ name, mode: 0o644, ...owner }, fs.readFileSync(abs));
      }
    }
  };
  walk('');
  pack.finalize();
  await withHolder(env.docker, { ...common, mounts: [{ volume, target: '/v' }], role: 'seed' }, (c) =>
    c.putArchive(pack, { path: '/v' }),
  );
}

/** The bytes of a file in a run's volume on the engine. */
export async function runVolumeFile(env: VolumeTestEnv, runId: string, rel: string): Promise<Buffer> {
  const mounts = [{ volume: volumeNames(env.namePrefix).run(runId), target: '/v' }];
  const input = { image: env.image, dataDir: env.dataDir, namePrefix: env.namePrefix, mounts, role: 'read' };
  return withHolder(env.docker, input, async (c) => {
    const stream = await c.getArchive({ path: `/v/${rel}` });
    const extract = tar.extract();
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      extract.on('entry', (_header, entry, next) => {
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', next);
      });
      extract.on('finish', resolve);
      extract.on('error', reject);
      stream.pipe(extract);
    });
    return Buffer.concat(chunks);
  });
}

/** Removes the volumes made with this name prefix (data, run, weights, cache). */
export async function removeTestVolumes(docker: Dockerode, namePrefix: string): Promise<void> {
  const names = volumeNames(namePrefix);
  const mine = (name: string) =>
    name === names.weights ||
    name === names.cache ||
    name.startsWith(`${namePrefix}-data-`) ||
    name.startsWith(`${namePrefix}-run-`);
  const volumes = (await docker.listVolumes()).Volumes ?? [];
  for (const volume of volumes.filter((v) => mine(v.Name))) {
    await docker
      .getVolume(volume.Name)
      .remove()
      .catch(() => undefined);
  }
}
