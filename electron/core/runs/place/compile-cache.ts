import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * torch.compile's kernel cache, kept for the runs on one dataset (issue 19): a second run of a model on
 * the same images compiles from cache (~12 s instead of ~30 s on a GPU). Compiled kernels are code and
 * a run's container reads untrusted images, so the cache is shared only by runs that read the same
 * images: one folder per dataset, mounted writable at /compile-cache (the trainer's
 * train.compile_cache_dir; compile_policy.py), never under /cache, which every run can see.
 *
 *   const folder = await localCompileCache(paths.dataDir, settings.datasetPath);  // this computer
 *   compileCacheVolume('deit-studio', content.hash)                              // a server
 */
/** The folder of a dataset on this computer: keyed by its real path (a link to it shares it). */
export async function localCompileCache(dataDir: string, datasetPath: string): Promise<string> {
  const real = await fs.realpath(datasetPath);
  const key = createHash('sha256').update(real).digest('hex').slice(0, 16);
  const root = path.join(dataDir, 'compile-cache');
  const folder = path.join(root, key);
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  // Only the app makes these folders, and no container can reach the one above them: still, a mount
  // source is never a link (mount-check.ts checks run folders the same way).
  const stat = await fs.lstat(folder);
  if (!stat.isDirectory()) throw new Error(`${folder} is not a folder.`);
  return folder;
}

/** The volume of a dataset on a server: keyed by its content hash, like its dataset volume. */
export function compileCacheVolume(prefix: string, contentHash: string): string {
  return `${prefix}-compile-${contentHash.slice(0, 16)}`;
}
