import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';

/** How one file from the server is written locally. */
export interface CopyRule {
  /** The most bytes the file may have; a bigger one is left out (and named in `refused`). */
  cap: number;
  /** `replace`: written whole (temp file, then renamed); `append`: only the bytes past the local size. */
  mode: 'replace' | 'append';
}

/** What a copy wrote and what it left out. */
export interface CopyResult {
  files: string[];
  bytes: number;
  /** Entries left out: links, devices, paths outside, unknown files, files over their cap. */
  refused: string[];
}

// Never through a link, never into a FIFO; the folder is the app's, but a file there could be anything.
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Writes the files of a tar stream from a server (the Docker archive API's getArchive of a path in a
 * run's volume) into the local folder `destDir` (a run's output/), trusting nothing in it: only
 * regular files whose path, once normalised, stays inside `destDir` and that `rule` knows, each up
 * to its cap; links, devices and anything else are skipped. `base` is the folder (relative to
 * destDir) that the archive's names are relative to ('' for the top).
 *
 *   await copyFromArchive(await container.getArchive({ path: '/run/eval' }), folder.outputDir, '', rules);
 */
export function copyFromArchive(
  stream: NodeJS.ReadableStream,
  destDir: string,
  base: string,
  rule: (rel: string) => CopyRule | null,
): Promise<CopyResult> {
  const result: CopyResult = { files: [], bytes: 0, refused: [] };
  const extract = tar.extract();
  return new Promise<CopyResult>((resolve, reject) => {
    extract.on('entry', (header, entry: Readable, next) => {
      const rel = safeRelative(path.posix.join(base, header.name));
      const done = (error?: unknown) => {
        if (error) {
          entry.resume();
          extract.destroy(error as Error);
          return;
        }
        next();
      };
      if (header.type === 'directory') {
        entry.resume();
        entry.on('end', () => done());
        return;
      }
      const known = rel !== null && (header.type === 'file' || header.type === 'contiguous-file') ? rule(rel) : null;
      if (!known || rel === null || (header.size ?? 0) > known.cap) {
        result.refused.push(header.name);
        entry.resume();
        entry.on('end', () => done());
        return;
      }
      writeEntry(entry, destDir, rel, known).then((bytes) => {
        result.files.push(rel);
        result.bytes += bytes;
        done();
      }, done);
    });
    extract.on('finish', () => resolve(result));
    extract.on('error', reject);
    (stream as Readable).on('error', (error) => extract.destroy(error));
    (stream as Readable).pipe(extract);
  });
}

/** A '/'-separated path inside the folder, or null for one that leaves it (absolute, `..`, empty). */
export function safeRelative(name: string): string | null {
  if (name.includes('\0') || name.includes('\\')) return null;
  const normal = path.posix.normalize(name).replace(/\/+$/, '');
  if (normal === '' || normal === '.' || normal.startsWith('/') || normal === '..' || normal.startsWith('../')) {
    return null;
  }
  return normal;
}

/** Makes the folders on the way inside `destDir`, refusing any that is not a real folder. */
async function folderFor(destDir: string, rel: string): Promise<string> {
  let dir = destDir;
  for (const part of path.posix
    .dirname(rel)
    .split('/')
    .filter((p) => p && p !== '.')) {
    dir = path.join(dir, part);
    const stat = await fs.lstat(dir).catch(() => null);
    if (!stat) await fs.mkdir(dir, { mode: 0o700 });
    else if (!stat.isDirectory()) throw new Error(`${dir} is not a folder`);
  }
  return dir;
}

async function writeEntry(entry: Readable, destDir: string, rel: string, rule: CopyRule): Promise<number> {
  const dir = await folderFor(destDir, rel);
  const target = path.join(dir, path.posix.basename(rel));
  if (rule.mode === 'append') {
    const handle = await fs.open(target, WRITE_FLAGS | constants.O_APPEND, 0o600);
    try {
      if (!(await handle.stat()).isFile()) throw new Error(`${target} is not a regular file`);
      let skip = (await handle.stat()).size; // what the mirror already has: only the rest is new
      let written = 0;
      for await (const chunk of entry) {
        let part = chunk as Buffer;
        if (skip > 0) {
          const drop = Math.min(skip, part.length);
          skip -= drop;
          part = part.subarray(drop);
        }
        if (part.length) {
          await handle.write(part);
          written += part.length;
        }
      }
      return written;
    } finally {
      await handle.close();
    }
  }
  const temp = path.join(dir, `.${path.posix.basename(rel)}.mirror.tmp`);
  await fs.rm(temp, { force: true });
  const handle = await fs.open(temp, WRITE_FLAGS | constants.O_EXCL, 0o600);
  let written = 0;
  try {
    for await (const chunk of entry) {
      await handle.write(chunk as Buffer);
      written += (chunk as Buffer).length;
    }
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await fs.rename(temp, target);
  return written;
}
