import type Dockerode from 'dockerode';
import { createReadStream } from 'node:fs';
import tar from 'tar-stream';
import { AppError } from '../../../contract';
import { LABELS } from '../../docker/container-spec';
import type { DatasetContent } from './dataset-hash';
import { ensureVolume, pathExists, VOLUME_LABELS, volumeNames, withHolder } from './volume-containers';

/** The marker written last into a dataset volume: a volume without it is sent again from scratch. */
export const COMPLETE_MARKER = 'complete.json';

/** What sending a dataset needs. */
export interface DatasetVolumeInput {
  content: DatasetContent;
  image: string;
  dataDir: string;
  namePrefix: string;
  /** The server's name in progress lines ("gpu1.lab"). */
  label: string;
  /** Progress lines for the run's log. */
  log(lines: string[]): void;
  /** How often progress is told at most (default 2 s). */
  progressMs?: number;
  now?: () => number;
  /** Asked before each file: true ends the send (the run was stopped); the volume stays unmarked. */
  shouldStop?: () => boolean;
}

/** The send ended because the run was stopped (the volume has no marker: the next run sends again). */
export class SendStopped extends Error {
  constructor() {
    super('The dataset send was stopped.');
  }
}

/**
 * Makes sure the engine holds the dataset in the volume named by its content hash (dataset-hash.ts),
 * sending it once: a tar stream through the archive API into a created, never started container that
 * mounts the volume, the images under `images/`, the marker `complete.json` written last. A volume
 * without the marker (an interrupted send) is emptied and sent again. A second run on the same data
 * sends nothing. The images are never changed on this computer.
 *
 *   const { volume, sentBytes } = await ensureDatasetVolume(docker, { content, image, ... });
 */
export async function ensureDatasetVolume(
  docker: Dockerode,
  input: DatasetVolumeInput,
): Promise<{ volume: string; sentBytes: number }> {
  const { content } = input;
  const volume = volumeNames(input.namePrefix).dataset(content.hash);
  const labels = {
    [VOLUME_LABELS.kind]: 'dataset',
    [VOLUME_LABELS.dataset]: content.hash,
    [LABELS.dataDir]: input.dataDir,
  };
  const holder = (role: string) => ({
    image: input.image,
    mounts: [{ volume, target: '/v' }],
    dataDir: input.dataDir,
    namePrefix: input.namePrefix,
    role,
  });
  const made = await ensureVolume(docker, volume, labels);
  if (!made) {
    const complete = await withHolder(docker, holder('dataset-check'), (c) => pathExists(c, `/v/${COMPLETE_MARKER}`));
    if (complete) {
      input.log([`The dataset is on ${input.label} already (${count(content)}): nothing to send.`]);
      return { volume, sentBytes: 0 };
    }
    input.log([`An earlier send of the dataset to ${input.label} did not finish: sending it again from the start.`]);
    await docker
      .getVolume(volume)
      .remove()
      .catch((error: Error) => {
        throw new AppError(
          'busy',
          `The dataset's volume on ${input.label} is in use, so it cannot be sent again now.`,
          {
            fix: 'Wait until the other run that sends or uses this dataset has started, then start this run again.',
            detail: error.message,
          },
        );
      });
    await ensureVolume(docker, volume, labels);
  }
  input.log([`Sending the dataset to ${input.label} (${count(content)}); the next run on it sends nothing.`]);
  const sentBytes = await withHolder(docker, holder('upload'), async (container) => {
    const sent = await sendImages(container, input);
    const marker = JSON.stringify({ hash: content.hash, files: content.files.length, bytes: content.bytes });
    await container.putArchive(await packOne(COMPLETE_MARKER, marker), { path: '/v' });
    return sent;
  });
  input.log([`Sent the dataset to ${input.label}: ${mb(sentBytes)} in ${content.files.length} files.`]);
  return { volume, sentBytes };
}

/** Streams every file of the dataset under images/ into the container's /v; returns the bytes sent. */
async function sendImages(container: Dockerode.Container, input: DatasetVolumeInput): Promise<number> {
  const { content } = input;
  const now = input.now ?? Date.now;
  const started = now();
  let sent = 0;
  let files = 0;
  let told = started;
  const tell = (force = false) => {
    const at = now();
    if (!force && at - told < (input.progressMs ?? 2000)) return;
    told = at;
    const rate = sent / Math.max(1, at - started); // bytes per ms
    const left = rate > 0 ? Math.round((content.bytes - sent) / rate / 1000) : null;
    input.log([
      `Sending the dataset to ${input.label}: ${mb(sent)} of ${mb(content.bytes)}, ${files} of ${content.files.length} files` +
        (left !== null ? `, about ${left} s left` : ''),
    ]);
  };
  const pack = tar.pack();
  const feed = async () => {
    pack.entry({ name: 'images/', type: 'directory', mode: 0o755, mtime: new Date(0) });
    for (const file of content.files) {
      if (input.shouldStop?.()) throw new SendStopped();
      await new Promise<void>((resolve, reject) => {
        const entry = pack.entry(
          { name: `images/${file.rel}`, size: file.size, mode: 0o644, mtime: new Date(0) },
          (e) => (e ? reject(changed(e)) : resolve()),
        );
        const read = createReadStream(file.abs);
        read.on('data', (chunk) => {
          sent += chunk.length;
          tell();
        });
        read.on('error', (e) => reject(changed(e)));
        read.pipe(entry);
      });
      files += 1;
    }
    pack.finalize();
  };
  const feeding = feed().catch((error: Error) => {
    pack.destroy(error);
    throw error;
  });
  const putting = container.putArchive(pack, { path: '/v' }).catch((error: Error) => {
    pack.destroy(error);
    throw error;
  });
  await Promise.all([feeding, putting]);
  tell(true);
  return sent;
}

function changed(error: Error): AppError {
  return new AppError('dataset_invalid', 'A file of the dataset changed or went away while it was being sent.', {
    fix: 'Leave the dataset folder as it is while a run starts, then start the run again.',
    detail: error.message,
  });
}

async function packOne(name: string, text: string): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name, mode: 0o644, mtime: new Date(0) }, text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function count(content: DatasetContent): string {
  return `${content.files.length} files, ${mb(content.bytes)}`;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
