import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../contract';

/**
 * The last check before a folder (or file) of a run becomes a container's mount. Docker follows
 * links in a mount's source, and a container could have replaced a folder it wrote (an earlier run's
 * checkpoints/, a predictions/ folder) with a link to anywhere on the computer; the next container
 * would then see — and maybe write — that place. So right before a container is created, each source
 * must be what the app made: not a link (lstat), of the expected type, and with its real path
 * exactly where it should be inside the runs folder (no link on the way either).
 *
 *   const source = await checkedRunMount(paths.runsDir, folder.outputDir, 'folder'); // the real path
 *   bind(source, '/run', false);
 */
export async function checkedRunMount(runsDir: string, source: string, kind: 'folder' | 'file'): Promise<string> {
  const root = path.resolve(runsDir);
  const rel = path.relative(root, path.resolve(source));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw refused(source, 'is not inside the runs folder');
  }
  const stat = await fs.lstat(source).catch(() => null);
  if (!stat) throw refused(source, 'is missing');
  if (stat.isSymbolicLink()) throw refused(source, 'is a link');
  if (kind === 'folder' ? !stat.isDirectory() : !stat.isFile()) {
    throw refused(source, kind === 'folder' ? 'is not a folder' : 'is not a regular file');
  }
  let real: string;
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
    real = await fs.realpath(source);
  } catch {
    throw refused(source, 'is missing');
  }
  if (real !== path.join(realRoot, rel)) throw refused(source, 'is reached through a link');
  return real;
}

function refused(source: string, why: string): AppError {
  return new AppError('validation', `DeiT Studio did not give ${source} to the container: it ${why}.`, {
    fix: 'A container may have changed the run folder (for example through a crafted image in the dataset). Check that folder, or start a new run.',
    detail: `unsafe_mount: ${source}`,
  });
}
