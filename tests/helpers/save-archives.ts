import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import tar from 'tar-stream';
import { readJsonLines } from '../../electron/core/docker/json-lines';
import { tarArchive } from '../../electron/core/docker/tar-archive';

/**
 * `docker save` archives made in the test: a small two-layer image on the private engine, saved
 * through the engine's API, and variants of the archive (the OCI layout of Docker 25+, gzip, a
 * damaged layer) rewritten from it with an independent tar library.
 */

async function drain(stream: NodeJS.ReadableStream): Promise<void> {
  let failure: string | null = null;
  await readJsonLines(stream as AsyncIterable<Uint8Array>, (line) => {
    const value = line.ok ? (line.value as { error?: string; errorDetail?: { message?: string } }) : null;
    failure ??= value?.errorDetail?.message ?? value?.error ?? null;
  });
  if (failure) throw new Error(failure);
}

/** A two-layer image without Python: a `docker import`ed root, then a COPY step on top. */
export async function makeTinyImage(docker: Dockerode, tag: string): Promise<string> {
  const [repo] = tag.split(/:(?=[^/:]+$)/);
  const root = await tarArchive([{ name: 'etc/' }, { name: 'etc/tiny-release', content: 'tiny 1\n' }]);
  await drain((await docker.importImage(Readable.from([root]), { repo, tag: 'root' })) as NodeJS.ReadableStream);
  const context = await tarArchive([
    { name: 'Dockerfile', content: `FROM ${repo}:root\nCOPY note.txt /note.txt\nLABEL deit-env-test=offline\n` },
    { name: 'note.txt', content: `made for ${tag} at ${Date.now()}\n` },
  ]);
  await drain(
    (await docker.buildImage(Readable.from([context]), { t: tag, rm: true, forcerm: true })) as NodeJS.ReadableStream,
  );
  await docker.getImage(`${repo}:root`).remove();
  return ((await docker.getImage(tag).inspect()) as { Id: string }).Id;
}

/** `docker save TAG -o FILE` through the API. */
export async function saveImage(docker: Dockerode, tag: string, file: string): Promise<void> {
  const stream = (await docker.getImage(tag).get()) as NodeJS.ReadableStream;
  await pipeline(stream, fs.createWriteStream(file));
}

/** Every file of a tar archive with its bytes. */
export async function readTar(file: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      if (header.type === 'file') files.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  await pipeline(fs.createReadStream(file), extract);
  return files;
}

async function writeTar(file: string, files: Array<[string, Buffer]>): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, fs.createWriteStream(file));
  for (const [name, data] of files) pack.entry({ name, size: data.length }, data);
  pack.finalize();
  await done;
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The same image in the layout Docker 25+ writes: config and layers as `blobs/sha256/<digest>`, an
 * OCI image manifest and `index.json`, and `manifest.json` pointing at the blobs.
 */
export async function toOciLayout(legacyFile: string, outFile: string): Promise<void> {
  const files = await readTar(legacyFile);
  const [item] = JSON.parse(files.get('manifest.json')!.toString()) as Array<{
    Config: string;
    RepoTags: string[];
    Layers: string[];
  }>;
  const blobs = new Map<string, Buffer>();
  const blob = (data: Buffer) => {
    const digest = sha(data);
    blobs.set(`blobs/sha256/${digest}`, data);
    return { name: `blobs/sha256/${digest}`, digest: `sha256:${digest}`, size: data.length };
  };
  const config = blob(files.get(item!.Config)!);
  const layers = item!.Layers.map((layer) => blob(files.get(layer)!));
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.size },
        layers: layers.map((l) => ({
          mediaType: 'application/vnd.oci.image.layer.v1.tar',
          digest: l.digest,
          size: l.size,
        })),
      }),
    ),
  );
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: manifest.digest,
        size: manifest.size,
        annotations: { 'io.containerd.image.name': `docker.io/${item!.RepoTags[0]}` },
      },
    ],
  };
  const dockerManifest = [{ Config: config.name, RepoTags: item!.RepoTags, Layers: layers.map((l) => l.name) }];
  await writeTar(outFile, [
    ...blobs.entries(),
    ['index.json', Buffer.from(JSON.stringify(index))],
    ['manifest.json', Buffer.from(JSON.stringify(dockerManifest))],
    ['oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}')],
  ]);
}

/** The archive with one byte of its last layer's data changed (names and sizes unchanged). */
export async function damageLastLayer(file: string, outFile: string): Promise<string> {
  const files = await readTar(file);
  const [item] = JSON.parse(files.get('manifest.json')!.toString()) as Array<{ Layers: string[] }>;
  const layer = item!.Layers[item!.Layers.length - 1]!;
  const data = Buffer.from(files.get(layer)!);
  // Inside the layer's own tar: the first file's content, just after its 512-byte header.
  data[517] = (data[517]! + 1) % 256;
  files.set(layer, data);
  await writeTar(outFile, [...files.entries()]);
  return layer;
}
