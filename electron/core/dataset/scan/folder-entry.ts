import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** What a folder entry is, without following links (file systems that do not say are asked). */
export type EntryType = 'file' | 'folder' | 'link' | 'other' | 'unreadable';

/** The type of a directory entry; plain files and folders cost no system call. */
export async function entryType(absolute: string, dirent: Dirent): Promise<EntryType> {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'folder';
  if (dirent.isSymbolicLink()) return 'link';
  if (dirent.isFIFO() || dirent.isSocket() || dirent.isBlockDevice() || dirent.isCharacterDevice()) return 'other';
  // Some file systems do not report entry types; ask.
  const lstat = await fs.lstat(absolute).catch(() => null);
  if (!lstat) return 'unreadable';
  if (lstat.isFile()) return 'file';
  if (lstat.isDirectory()) return 'folder';
  if (lstat.isSymbolicLink()) return 'link';
  return 'other';
}

/** Where a symbolic link leads, as the trainer inside its container sees it. */
export type LinkTarget = 'file' | 'folder' | 'other' | 'broken_link' | 'link_outside' | 'unreadable';

/**
 * Resolves a symbolic link the way the trainer does (`os.path.realpath`, then "inside the dataset
 * folder?"). The dataset is mounted elsewhere in the container, so a link with an absolute target
 * cannot resolve there: it counts as leading outside, wherever it points on this machine.
 */
export async function resolveLink(absolute: string, realRoot: string): Promise<LinkTarget> {
  let target: string;
  let real: string;
  try {
    target = await fs.readlink(absolute);
  } catch {
    return 'unreadable';
  }
  try {
    real = await fs.realpath(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' ? 'broken_link' : 'unreadable';
  }
  if (path.isAbsolute(target) || !isInside(realRoot, real)) return 'link_outside';
  const stat = await fs.stat(real).catch(() => null);
  if (!stat) return 'unreadable';
  return stat.isDirectory() ? 'folder' : stat.isFile() ? 'file' : 'other';
}

/** Whether `child` is `parent` or lies inside it (both real, absolute paths). */
export function isInside(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** A plain sentence for an entry that cannot be used, by kind. */
export const ENTRY_REASONS = {
  broken_link: 'broken link (it points to nothing)',
  link_outside: 'a link to a file outside the dataset folder (or an absolute link): training cannot see it',
  folder_link: 'a link to a folder (links to folders are not followed)',
  class_link: 'a link where a class folder is expected (links are not followed here)',
  unreadable: 'cannot be read (no permission, or it vanished during the scan)',
  other: 'not a regular file',
} as const;

/** Reads a folder's entries in batches (so that a folder of 100,000 files does not arrive in one piece). */
export async function* folderEntries(absolute: string): AsyncGenerator<Dirent> {
  const dir = await fs.opendir(absolute, { bufferSize: 256 });
  yield* dir; // the iterator closes the folder when done or abandoned
}
