import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from '../../atomic-file';

/** One file of a dataset: its path relative to the dataset folder ('/'-separated), size and where it is. */
export interface DatasetFile {
  rel: string;
  abs: string;
  size: number;
}

/** A dataset's content: its files (sorted by path), their total size, and the content hash. */
export interface DatasetContent {
  files: DatasetFile[];
  bytes: number;
  /** SHA-256 (hex) over every file's relative path, size and SHA-256, in path order. */
  hash: string;
}

interface CacheFile {
  version: 1;
  files: Record<string, { size: number; mtimeMs: number; sha256: string }>;
}

/**
 * The content hash of a dataset folder (what names its volume on a server, dataset-volume.ts): the
 * relative path, size and SHA-256 of every regular file below it, in path order. Per-file hashes are
 * kept in `cacheFile` by absolute path, size and modification time, so a second run on the same
 * folder reads no image again. Folders that are links are not followed (no loops); files that are
 * links are read as the files they point to, as the trainer would.
 *
 *   const { hash, files, bytes } = await datasetContent('/data/flowers', '<data dir>/dataset-hashes.json');
 */
export async function datasetContent(root: string, cacheFile: string): Promise<DatasetContent> {
  const files = (await listFiles(root)).sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const cache = await readCache(cacheFile);
  const next: CacheFile = { version: 1, files: {} };
  const whole = createHash('sha256');
  let bytes = 0;
  for (const file of files) {
    const stat = await fs.stat(file.abs);
    const known = cache.files[file.abs];
    const sha256 =
      known && known.size === stat.size && known.mtimeMs === stat.mtimeMs ? known.sha256 : await fileSha256(file.abs);
    next.files[file.abs] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256 };
    file.size = stat.size;
    bytes += stat.size;
    whole.update(`${JSON.stringify(file.rel)} ${stat.size} ${sha256}\n`);
  }
  // Other datasets' entries stay: one cache for every folder the user trains on.
  await writeJsonAtomic(cacheFile, { version: 1, files: { ...cache.files, ...next.files } }).catch(() => undefined);
  return { files, bytes, hash: whole.digest('hex') };
}

async function listFiles(root: string, prefix = ''): Promise<DatasetFile[]> {
  const out: DatasetFile[] = [];
  const entries = await fs.readdir(path.join(root, prefix), { withFileTypes: true });
  for (const entry of entries) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const abs = path.join(root, rel);
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else if (entry.isFile()) out.push({ rel, abs, size: 0 });
    else if (entry.isSymbolicLink()) {
      const stat = await fs.stat(abs).catch(() => null);
      if (stat?.isFile()) out.push({ rel, abs, size: 0 });
    }
  }
  return out;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readCache(file: string): Promise<CacheFile> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as CacheFile;
    if (parsed?.version === 1 && parsed.files && typeof parsed.files === 'object') return parsed;
  } catch {
    // missing or damaged: hashed again
  }
  return { version: 1, files: {} };
}
