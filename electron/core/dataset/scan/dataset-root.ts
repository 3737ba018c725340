import { resolveUserPath } from '../../user-path';

/**
 * Turns the folder path a user gave into an absolute path ("~" is the home folder), or a typed
 * validation error; the rule is user-path.ts (no system folders). Used by the dataset calls and by
 * `runs.predict` (the folder of new images):
 *
 *   const root = resolveDatasetRoot('~/photos/cats'); // '/home/ana/photos/cats'
 */
export function resolveDatasetRoot(input: string): string {
  return resolveUserPath(input, 'folder');
}
