import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../contract';
import { RunFolder } from './run-folder';

/**
 * Deletes one run folder and nothing else: the id must be a plain folder name (checked by
 * `RunFolder`), the folder must hold a run.json, and its real path must sit directly in the runs
 * directory, so neither `..` nor a symbolic link can lead the deletion elsewhere (e.g. the dataset).
 */
export async function deleteRunFolder(runsDir: string, id: string): Promise<void> {
  const folder = new RunFolder(runsDir, id);
  const stat = await fs.lstat(folder.dir).catch(() => null);
  if (!stat?.isDirectory() || !(await folder.exists(folder.runJson))) {
    throw new AppError('not_found', `There is no run "${id}".`, { fix: 'Reload the runs list.' });
  }
  const real = await fs.realpath(folder.dir);
  if (path.dirname(real) !== (await fs.realpath(runsDir))) {
    throw new AppError('validation', 'This run folder is not inside the runs directory; DeiT Studio leaves it alone.');
  }
  // rm does not follow symbolic links inside the folder: only the links themselves go.
  await fs.rm(folder.dir, { recursive: true, force: true });
}
