import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../contract';

/**
 * Turns the folder path a user gave into an absolute path ("~" is the home folder), or a typed
 * validation error. Pure apart from reading the home folder's path. Used by the dataset calls and by
 * `runs.predict` (the folder of new images):
 *
 *   const root = resolveDatasetRoot('~/photos/cats'); // '/home/ana/photos/cats'
 */
export function resolveDatasetRoot(input: string): string {
  const expanded = input === '~' || input.startsWith('~/') ? path.join(os.homedir(), input.slice(1)) : input;
  if (expanded.includes('\0') || !path.isAbsolute(expanded)) {
    throw new AppError('validation', `“${input}” is not a full folder path.`, {
      fix: 'Choose the folder with the folder picker, or type its full path (starting with / or ~).',
    });
  }
  return path.resolve(expanded);
}
