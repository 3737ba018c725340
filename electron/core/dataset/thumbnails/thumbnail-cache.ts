/**
 * Real thumbnails for the gallery: an image shrunk to at most 256 px on its longest side (upright by its
 * Exif orientation, JPEG quality 80, a few KiB), made by sharp and kept in the app's cache folder, so a
 * 3 MB photo costs one decode the first time it is shown and a file read after that.
 *
 *   const bytes = await cachedThumbnail('/data/cats/1.jpg', stat, '/…/cache/thumbnails'); // JPEG, or null
 *
 * The cache key is the file's real path, modification time and size: an edited or replaced file gets a
 * new thumbnail. Entries are written to a temporary name and renamed, so a reader never sees half of
 * one; the dataset folder itself is only read. Returns null when sharp cannot read the image (BMP is
 * not among its formats, damage inside the data) or is not in this build: the caller falls back.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadSharp } from '../similar/image-hash';
import { MAX_PIXELS } from '../headers/read-image-header';

/** Longest side of a thumbnail, in pixels (a gallery tile is at most 128 CSS px: sharp on 2× screens). */
export const THUMBNAIL_SIDE = 256;
/** JPEG quality of a thumbnail. */
const QUALITY = 80;

/** The file facts the cache key is made of. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** Where the thumbnail of this version of the file is (or will be) cached. Pure. */
export function thumbnailCachePath(cacheDir: string, realPath: string, stamp: FileStamp): string {
  const key = createHash('sha1').update(`${realPath}\0${stamp.mtimeMs}\0${stamp.size}`).digest('hex');
  return path.join(cacheDir, key.slice(0, 2), `${key}.jpg`);
}

/** The cached thumbnail of the file, made now if there is none; null when sharp cannot make one. */
export async function cachedThumbnail(realPath: string, stamp: FileStamp, cacheDir: string): Promise<Buffer | null> {
  const target = thumbnailCachePath(cacheDir, realPath, stamp);
  const cached = await fs.readFile(target).catch(() => null);
  if (cached) return cached;
  const bytes = await makeThumbnail(realPath);
  if (!bytes) return null;
  // A cache that cannot be written (full disk, read-only data folder) only costs the next decode.
  const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(temporary, bytes);
    await fs.rename(temporary, target);
  } catch {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
  }
  return bytes;
}

/** A JPEG of the image at most THUMBNAIL_SIDE px on its longest side; null when it cannot be decoded. */
export async function makeThumbnail(realPath: string): Promise<Buffer | null> {
  let sharp;
  try {
    sharp = await loadSharp();
  } catch {
    return null; // not in this build: the caller sends the original or its Exif preview
  }
  try {
    return await sharp(realPath, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .rotate() // upright by the Exif orientation, as the user sees the photo elsewhere
      .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' }) // JPEG has no alpha: transparent parts on white
      .jpeg({ quality: QUALITY })
      .toBuffer();
  } catch {
    return null;
  }
}
