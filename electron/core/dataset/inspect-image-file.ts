import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import type { SkipCode } from '../../contract';
import { fileByteSource } from './byte-source';
import type { ImageCandidate } from './list-dataset-files';
import { readImageHeader } from './read-image-header';

/** Bytes read from the start of every image: enough for almost every header, and the whole of tiny files. */
export const HEAD_BYTES = 4096;
/** Bytes from the end of a file that go into its fingerprint. */
export const TAIL_BYTES = 1024;

/** A usable image, as the scan keeps it (no pixels). */
export interface ImageRecord {
  path: string;
  absolute: string;
  classIndex: number;
  part: ImageCandidate['part'];
  viaLink: boolean;
  width: number;
  height: number;
  size: number;
  /** SHA-1 of the head and tail bytes: equal for identical files; `whole` when it covers the entire file. */
  fingerprint: string;
  whole: boolean;
}

/** The outcome of inspecting one candidate: a usable image, or why it is skipped. */
export type Inspection = { ok: true; image: ImageRecord } | { ok: false; code: SkipCode; reason: string };

// O_NONBLOCK: if a file was swapped for a FIFO after listing, opening it must not hang the scan.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens one candidate read-only, reads its header and tail (never its pixels), and returns what the
 * scan keeps of it, or why it cannot be used.
 */
export async function inspectImageFile(candidate: ImageCandidate): Promise<Inspection> {
  let handle: FileHandle;
  try {
    handle = await fs.open(candidate.absolute, OPEN_FLAGS);
  } catch (error) {
    return { ok: false, code: 'unreadable', reason: openFailure(error) };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, code: 'not_image', reason: 'not a regular file' };
    const src = await fileByteSource(handle, stat.size, HEAD_BYTES);
    const header = await readImageHeader(src, candidate.format);
    if (!header.ok) return header;
    const whole = src.head.length >= stat.size;
    const hash = createHash('sha1').update(src.head);
    if (!whole) hash.update(await src.read(Math.max(src.head.length, stat.size - TAIL_BYTES), TAIL_BYTES));
    const { path, absolute, classIndex, part, viaLink } = candidate;
    return {
      ok: true,
      image: {
        path,
        absolute,
        classIndex,
        part,
        viaLink,
        width: header.image.width,
        height: header.image.height,
        size: stat.size,
        fingerprint: hash.digest('base64url'),
        whole,
      },
    };
  } catch (error) {
    return {
      ok: false,
      code: 'unreadable',
      reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'I/O error'})`,
    };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function openFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (no permission)';
  if (code === 'ENOENT') return 'vanished during the scan';
  return `cannot be read (${code ?? 'I/O error'})`;
}
