import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, type Thumbnail } from '../../../contract';
import { openByteSource, type FileByteSource } from '../headers/byte-source';
import { findExifThumbnail } from '../headers/exif-thumbnail';
import { isInside } from '../scan/folder-entry';
import { FORMAT_MIME, isImageName } from '../headers/image-formats';
import { HEAD_BYTES } from '../scan/inspect-image-file';
import { readImageHeader } from '../headers/read-image-header';
import { isHiddenName } from '../scan/skip-log';
import { cachedThumbnail, THUMBNAIL_SIDE } from './thumbnail-cache';

/**
 * How previews are made. `cacheDir`: where sharp's thumbnails are kept (null: none are made, as in a
 * build without sharp). The fallbacks: `maxBytes`, how big a file may be to be sent whole, and
 * `preferExifAbove`, above which size an embedded Exif preview is sent instead.
 */
export interface ThumbnailLimits {
  maxBytes: number;
  preferExifAbove: number;
  cacheDir?: string | null;
}

/** Default fallbacks: photos over 256 KiB send their Exif preview if they have one; nothing over 4 MiB is sent whole. */
export const THUMBNAIL_LIMITS: ThumbnailLimits = { maxBytes: 4 * 1024 * 1024, preferExifAbove: 256 * 1024 };

/** Formats every browser shows: a small image in one of them is sent as it is (no decode, exact). */
const SENT_AS_IS = new Set(['jpeg', 'png', 'gif', 'webp']);

/**
 * Checks a preview request's file path: relative to the dataset root, "/"-separated, no ".." or "."
 * parts, no hidden parts. Returns the parts. Pure.
 */
export function parseDatasetFilePath(file: string): string[] {
  const invalid = (why: string) =>
    new AppError('validation', `The image path "${file}" is not allowed: ${why}.`, {
      fix: 'This is a bug in the caller: ask for a path exactly as the scan listed it.',
    });
  if (file.includes('\0')) throw invalid('it contains a NUL character');
  if (file.startsWith('/') || file.startsWith('\\') || /^[a-zA-Z]:/.test(file) || path.isAbsolute(file)) {
    throw invalid('it must be relative to the dataset folder');
  }
  if (path.sep === '\\' && file.includes('\\')) throw invalid('use "/" between folder names');
  const parts = file.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..'))
    throw invalid('it must not contain empty, "." or ".." parts');
  if (parts.some(isHiddenName)) throw invalid('hidden files are not part of the dataset');
  return parts;
}

/**
 * A preview of one image inside a scanned dataset folder (`realRoot` is the folder's real path): the
 * file itself when it is no bigger than a thumbnail, else a cached 256 px JPEG made by sharp
 * (thumbnail-cache.ts). Where sharp cannot make one (BMP, no cache folder, sharp missing) it falls back
 * to the JPEG preview embedded in a large photo's Exif data, then to the file itself up to 4 MiB.
 * Refuses anything outside the folder, links leading outside it, and files that are not usable images.
 */
export async function readThumbnail(realRoot: string, file: string, limits = THUMBNAIL_LIMITS): Promise<Thumbnail> {
  const parts = parseDatasetFilePath(file);
  if (!isImageName(parts[parts.length - 1]!)) {
    throw new AppError('validation', `“${file}” is not an image file.`, {
      fix: 'Ask only for images the scan listed.',
    });
  }
  let real: string;
  try {
    real = await fs.realpath(path.join(realRoot, ...parts));
  } catch (error) {
    throw new AppError('not_found', `The image “${file}” is no longer in the dataset folder.`, {
      fix: 'Scan the folder again to see its current contents.',
      detail: (error as Error).message,
    });
  }
  if (!isInside(realRoot, real) || real === realRoot) {
    throw new AppError(
      'validation',
      `“${file}” is a link to a file outside the dataset folder, so it has no preview.`,
      {
        fix: 'Training cannot see it either: copy the file into the dataset folder instead of linking to it.',
      },
    );
  }
  let src: FileByteSource;
  try {
    src = await openByteSource(real, HEAD_BYTES);
  } catch (error) {
    throw new AppError('not_found', `The image “${file}” cannot be opened.`, {
      fix: 'Check that you may read it, then scan the folder again.',
      detail: (error as Error).message,
    });
  }
  try {
    const header = await readImageHeader(src);
    if (!header.ok) {
      throw new AppError('validation', `“${file}” is not a usable image: ${header.reason}.`, {
        fix: 'The scan lists it among the left-out files; fix or remove it.',
      });
    }
    const { format, width, height } = header.image;
    const small = width <= THUMBNAIL_SIDE && height <= THUMBNAIL_SIDE && src.size <= limits.maxBytes;
    if (small && SENT_AS_IS.has(format)) {
      return { mime: FORMAT_MIME[format], dataBase64: (await src.read(0, src.size)).toString('base64') };
    }
    if (limits.cacheDir) {
      const stat = await fs.stat(real);
      const made = await cachedThumbnail(real, stat, limits.cacheDir);
      if (made) return { mime: 'image/jpeg', dataBase64: made.toString('base64') };
    }
    if (format === 'tiff') {
      throw new AppError('not_available', `TIFF images such as “${file}” cannot be previewed.`, {
        fix: 'Nothing to do: TIFF images are still used for training.',
      });
    }
    if (format === 'jpeg' && src.size > limits.preferExifAbove) {
      const embedded = await findExifThumbnail(src);
      if (embedded) return { mime: 'image/jpeg', dataBase64: embedded.toString('base64') };
    }
    if (src.size > limits.maxBytes) {
      const mib = (src.size / 2 ** 20).toFixed(1);
      throw new AppError(
        'not_available',
        `“${file}” is too big to preview (${mib} MB, the limit is ${(limits.maxBytes / 2 ** 20).toFixed(0)} MB).`,
        {
          fix: 'Nothing to do: large images are still used for training.',
        },
      );
    }
    const bytes = await src.read(0, src.size);
    return { mime: FORMAT_MIME[format], dataBase64: bytes.toString('base64') };
  } finally {
    await src.close();
  }
}
