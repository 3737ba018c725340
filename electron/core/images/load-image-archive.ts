import type Dockerode from 'dockerode';
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { AppError } from '../../contract';
import { PYTORCH_26_TAG as PYTORCH_26 } from './base-image-check';
import { readJsonLines } from '../docker/json-lines';
import { streamError } from './pull-image';
import { createArchiveReader, readArchiveKind, verifySaveArchive, type ArchiveImage } from './save-archive';
import { TRAINER_REPOSITORY } from './trainer-image-tag';

/**
 * Loads a `docker save` archive into the engine (the offline route to the PyTorch base image):
 * streams the file to the image load API with byte progress, checks the archive's own digests on the
 * way (save-archive.ts), then checks that each tag now names the image the archive describes.
 * A damaged archive leaves nothing behind: what it loaded is removed again.
 *
 *   const loaded = await loadImageArchive(docker, '/media/usb/pytorch-2.6.tar', {
 *     signal, onProgress: (done, total) => …,
 *   });
 *   loaded.image  // 'pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime'
 */

export interface LoadedArchive {
  /** The name to use as the base image: a PyTorch 2.6 tag if there is one, else the first tag. */
  image: string;
  images: ArchiveImage[];
}

/** Where an archive without tags (saved by id) is tagged, so the build can name it. */
export const UNTAGGED_REPOSITORY = 'deit-studio/base-loaded';

/**
 * An archive of a training image alone (saved where it was prepared, for a machine without PyPI): the
 * base it was built on, from its label, so the same training image tag is found ready.
 */
async function trainerBase(docker: Dockerode, tags: string[]): Promise<string | undefined> {
  const trainer = tags.find((t) => t.startsWith(`${TRAINER_REPOSITORY}:`));
  if (!trainer) return undefined;
  const info = (await docker.getImage(trainer).inspect()) as { Config?: { Labels?: Record<string, string> | null } };
  return info.Config?.Labels?.['deit-studio.base-image'];
}

/** Opens the archive file, refusing what is not a readable regular file. */
async function openArchive(file: string): Promise<{ size: number; kind: 'none' | 'gzip' }> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    throw new AppError('not_found', `There is no file ${file}.`, {
      fix: 'Check the path: it is a path on the machine DeiT Studio runs on (the server in serve mode).',
    });
  }
  if (!stat.isFile()) {
    throw new AppError('validation', `${file} is not a file.`, {
      fix: 'Choose the .tar file that docker save wrote.',
      detail: 'archive_not_file',
    });
  }
  const handle = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    return { size: stat.size, kind: readArchiveKind(head) };
  } finally {
    await handle.close();
  }
}

/** What the engine said it loaded ("Loaded image: repo:tag", "Loaded image ID: sha256:…"). */
function loadedNames(lines: string[]): string[] {
  return lines.flatMap((line) => {
    const match = /^Loaded image(?: ID)?: (\S+)/.exec(line.trim());
    return match?.[1] ? [match[1]] : [];
  });
}

/** Tag → image id of every tagged image on the engine (to undo a failed load exactly). */
async function tagSnapshot(docker: Dockerode): Promise<Map<string, string>> {
  const images = await docker.listImages();
  return new Map(images.flatMap((image) => (image.RepoTags ?? []).map((tag) => [tag, image.Id] as const)));
}

/**
 * Undoes a load that failed its checks: removes what it added, and points a tag it moved back at the
 * image it named before (a damaged copy must not cost the user a good image already there).
 */
async function removeLoaded(docker: Dockerode, names: string[], before: Map<string, string>): Promise<void> {
  const knownIds = new Set(before.values());
  for (const name of names) {
    const isId = name.startsWith('sha256:');
    if (isId ? knownIds.has(name) : false) continue;
    const current = await docker
      .getImage(name)
      .inspect()
      .then((i) => (i as { Id: string }).Id)
      .catch(() => null);
    const previous = isId ? undefined : before.get(name);
    if (current === null || current === previous) continue;
    await docker
      .getImage(name)
      .remove({ noprune: false })
      .catch(() => undefined);
    if (previous) {
      const [repo, tag] = splitTag(name);
      await docker
        .getImage(previous)
        .tag({ repo, tag })
        .catch(() => undefined);
    }
  }
}

/** 'host:5000/repo:tag' → ['host:5000/repo', 'tag']. */
function splitTag(name: string): [string, string] {
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? [name.slice(0, colon), name.slice(colon + 1)] : [name, 'latest'];
}

/** Streams the archive to the engine, reading it on the way; resolves once both are done. */
async function sendArchive(
  docker: Dockerode,
  file: string,
  archive: { size: number; kind: 'none' | 'gzip' },
  options: { signal: AbortSignal; onProgress: (bytesDone: number, bytesTotal: number) => void },
  before: Map<string, string>,
): Promise<{ names: string[]; images: ArchiveImage[] | AppError }> {
  const source = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  const reader = createArchiveReader(archive.kind);
  reader.contents.catch(() => undefined); // read in readToEnd; a failure before then is not unhandled
  const body = new PassThrough({ highWaterMark: 1024 * 1024 });
  let done = 0;
  source.on('data', (chunk) => {
    done += chunk.length;
    options.onProgress(done, archive.size);
  });
  source.pipe(body);
  source.pipe(reader.input);
  const stop = () => source.destroy();
  options.signal.addEventListener('abort', stop, { once: true });
  // The engine may stop reading before the end (an error, or trailing padding): the reader then
  // reads the rest of the file alone, so its check always covers the whole archive.
  const readToEnd = async (): Promise<ArchiveImage[] | AppError> => {
    source.unpipe(body);
    if (options.signal.aborted) reader.abort();
    try {
      return verifySaveArchive(await reader.contents);
    } catch (error) {
      return error as AppError;
    }
  };
  try {
    const response = (await docker.loadImage(body, {
      quiet: true,
      abortSignal: options.signal,
    })) as NodeJS.ReadableStream;
    const streamLines: string[] = [];
    let failure: string | null = null;
    await readJsonLines(response as AsyncIterable<Uint8Array>, (line) => {
      if (!line.ok) return;
      const value = line.value as { stream?: unknown; error?: unknown; errorDetail?: { message?: unknown } };
      const message = value.errorDetail?.message ?? value.error;
      if (typeof message === 'string') failure ??= message;
      if (typeof value.stream === 'string') streamLines.push(value.stream);
    });
    const names = loadedNames(streamLines);
    const images = await readToEnd();
    if (failure) {
      await removeLoaded(docker, names, before);
      // A damaged or foreign file: our own check names the cause more plainly than the engine.
      throw images instanceof Error ? images : streamError(failure);
    }
    return { names, images };
  } finally {
    options.signal.removeEventListener('abort', stop);
    reader.abort();
    source.destroy();
  }
}

/** Loads the archive, checks it, and names the image to build on. */
export async function loadImageArchive(
  docker: Dockerode,
  file: string,
  options: { signal: AbortSignal; onProgress: (bytesDone: number, bytesTotal: number) => void },
): Promise<LoadedArchive> {
  const archive = await openArchive(file);
  const before = await tagSnapshot(docker);
  const { names, images } = await sendArchive(docker, file, archive, options, before);
  if (images instanceof Error) {
    await removeLoaded(docker, names, before);
    throw images;
  }
  // Each tag must now name the very image the archive describes.
  for (const image of images) {
    for (const tag of image.repoTags) {
      const id = ((await docker.getImage(tag).inspect()) as { Id: string }).Id;
      if (!image.ids.includes(id)) {
        throw new AppError('docker_error', `After loading, ${tag} is not the image the archive holds.`, {
          fix: 'Load the archive again; if this repeats, remove the tag (docker rmi) and try once more.',
          detail: `engine id ${id}, archive ids ${image.ids.join(', ')}`,
        });
      }
    }
  }
  const tagged = images.flatMap((i) => i.repoTags);
  const bases = tagged.filter((t) => !t.startsWith(`${TRAINER_REPOSITORY}:`));
  const image = bases.find((t) => PYTORCH_26.test(t)) ?? bases[0] ?? (await trainerBase(docker, tagged));
  if (image) return { image, images };
  // Saved by id: no tag to build on. Tag the loaded id (it must be one the archive describes).
  const id = names.find((name) => images.some((i) => i.ids.includes(name))) ?? images[0]?.configDigest;
  if (!id) throw new AppError('docker_error', 'The engine did not say which image it loaded.');
  const tag = id.replace(/^sha256:/, '').slice(0, 12);
  await docker.getImage(id).tag({ repo: UNTAGGED_REPOSITORY, tag });
  return { image: `${UNTAGGED_REPOSITORY}:${tag}`, images };
}
