import { createHash } from 'node:crypto';
import type { SkipCode } from '../../../contract';
import { openByteSource, type FileByteSource } from '../headers/byte-source';
import type { ImageFormat } from '../headers/image-formats';
import type { ImageCandidate } from './list-dataset-files';
import { readImageHeader } from '../headers/read-image-header';

/**
 * Bytes read from the start of every image in one call: enough for almost every header, and the whole
 * of a small image (which then needs no stat and no second read). The OS reads ahead at least this much
 * anyway, so a big file costs no extra disk time.
 */
export const HEAD_BYTES = 16 * 1024;
/** Bytes from the start of a file that go into its fingerprint. */
export const FINGERPRINT_HEAD_BYTES = 4096;
/** Bytes from the end of a file that go into its fingerprint. */
export const TAIL_BYTES = 1024;

/** A usable image, as the scan keeps it (no pixels). */
export interface ImageRecord {
  path: string;
  absolute: string;
  classIndex: number;
  part: ImageCandidate['part'];
  /** The format the content says (not the extension). */
  format: ImageFormat;
  width: number;
  height: number;
  size: number;
  /** SHA-1 of the first 4 KiB and last 1 KiB: equal for identical files; `whole` when that is the entire file. */
  fingerprint: string;
  whole: boolean;
}

/** The outcome of inspecting one candidate: a usable image, or why it is skipped. */
export type Inspection = { ok: true; image: ImageRecord } | { ok: false; code: SkipCode; reason: string };

/**
 * Opens one candidate read-only, reads its header and tail (never its pixels), and returns what the
 * scan keeps of it, or why it cannot be used.
 */
export async function inspectImageFile(candidate: ImageCandidate): Promise<Inspection> {
  let src: FileByteSource;
  try {
    src = await openByteSource(candidate.absolute, HEAD_BYTES);
  } catch (error) {
    return { ok: false, ...openFailure(error) };
  }
  try {
    const header = await readImageHeader(src);
    if (!header.ok) return header;
    // First 4 KiB and last 1 KiB (from memory when the file fit in the head): the whole file up to 5 KiB.
    const hash = createHash('sha1').update(src.head.subarray(0, FINGERPRINT_HEAD_BYTES));
    const tailStart = Math.max(FINGERPRINT_HEAD_BYTES, src.size - TAIL_BYTES);
    if (tailStart < src.size) hash.update(await src.read(tailStart, TAIL_BYTES));
    const whole = src.size <= FINGERPRINT_HEAD_BYTES + TAIL_BYTES;
    const { path, absolute, classIndex, part } = candidate;
    return {
      ok: true,
      image: {
        path,
        absolute,
        classIndex,
        part,
        format: header.image.format,
        width: header.image.width,
        height: header.image.height,
        size: src.size,
        fingerprint: hash.digest('base64url'),
        whole,
      },
    };
  } catch (error) {
    return { ok: false, ...openFailure(error) };
  } finally {
    await src.close();
  }
}

function openFailure(error: unknown): { code: SkipCode; reason: string } {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTFILE' || code === 'EISDIR') return { code: 'not_image', reason: 'not a regular file' };
  if (code === 'EACCES' || code === 'EPERM') return { code: 'unreadable', reason: 'cannot be read (no permission)' };
  if (code === 'ENOENT') return { code: 'unreadable', reason: 'vanished during the scan' };
  return { code: 'unreadable', reason: `cannot be read (${code ?? 'I/O error'})` };
}
