import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseDockerignore } from './dockerignore';

/** The official PyTorch 2.6 CUDA 12.4 runtime image the trainer builds on. */
export const DEFAULT_BASE_IMAGE = 'pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime';

/** Where trainer images are tagged; the tag is a content hash. */
export const TRAINER_REPOSITORY = 'deit-studio/trainer';

/** Caches and editor files that never belong in the build (and must not trigger a rebuild). */
const JUNK = new Set([
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
  '.git',
  '.DS_Store',
  'node_modules',
]);

/**
 * Files of the build context, relative with forward slashes, sorted: what is hashed and sent to the
 * engine. Caches and whatever docker/.dockerignore excludes are left out, so they never cause a rebuild.
 */
export async function listContextFiles(dir: string): Promise<string[]> {
  const ignoreText = await fs.readFile(path.join(dir, '.dockerignore'), 'utf8').catch(() => '');
  const ignored = parseDockerignore(ignoreText);
  const files: string[] = [];
  async function walk(rel: string): Promise<void> {
    const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      if (JUNK.has(entry.name) || entry.name.endsWith('.pyc')) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (ignored(child)) continue;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push(child);
    }
  }
  await walk('');
  return files.sort();
}

/** 12 hex digits of SHA-256 over every context file (path, executable bit, content) and the base image. */
export async function trainerContentHash(dir: string, baseImage: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`base-image\0${baseImage}\0`);
  for (const rel of await listContextFiles(dir)) {
    const full = path.join(dir, rel);
    const stat = await fs.lstat(full);
    const content = stat.isSymbolicLink() ? Buffer.from(await fs.readlink(full)) : await fs.readFile(full);
    hash.update(`${rel}\0${stat.mode & 0o111 ? 'x' : '-'}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex').slice(0, 12);
}

/** The training image's tag, e.g. `deit-studio/trainer:3f2a9c0d11be`: rebuilt only when docker/ or the base changes. */
export async function trainerImageTag(
  dir: string,
  baseImage: string,
  repository = TRAINER_REPOSITORY,
): Promise<string> {
  return `${repository}:${await trainerContentHash(dir, baseImage)}`;
}
