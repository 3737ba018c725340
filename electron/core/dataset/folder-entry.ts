import type { Dirent, Stats } from 'node:fs';
import fs from 'node:fs/promises';

/** What a folder entry is once symbolic links are followed. */
export type EntryKind = 'folder' | 'file' | 'other' | 'broken_link' | 'link_loop' | 'unreadable';

/** One folder entry resolved: its kind, whether a link led to it, and for folders an identity for loop checks. */
export interface ResolvedEntry {
  kind: EntryKind;
  viaLink: boolean;
  /** "device:inode" of a folder, the same whichever path or link reaches it. */
  folderId?: string;
}

/** The identity of a folder for loop checks: the same whichever path or link reaches it. */
export function folderIdOf(stat: Stats): string {
  return `${stat.dev}:${stat.ino}`;
}

/** Resolves a directory entry, following symbolic links; plain files cost no system call. */
export async function resolveEntry(absolute: string, dirent: Dirent): Promise<ResolvedEntry> {
  if (dirent.isFile()) return { kind: 'file', viaLink: false };
  if (dirent.isDirectory()) return followEntry(absolute, false);
  if (dirent.isSymbolicLink()) return followEntry(absolute, true);
  if (dirent.isFIFO() || dirent.isSocket() || dirent.isBlockDevice() || dirent.isCharacterDevice()) {
    return { kind: 'other', viaLink: false };
  }
  // Some file systems do not report entry types; ask.
  const lstat = await fs.lstat(absolute).catch(() => null);
  if (!lstat) return { kind: 'unreadable', viaLink: false };
  if (lstat.isFile()) return { kind: 'file', viaLink: false };
  if (lstat.isDirectory() || lstat.isSymbolicLink()) return followEntry(absolute, lstat.isSymbolicLink());
  return { kind: 'other', viaLink: false };
}

async function followEntry(absolute: string, viaLink: boolean): Promise<ResolvedEntry> {
  let stat: Stats;
  try {
    stat = await fs.stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { kind: 'link_loop', viaLink };
    if (viaLink && (code === 'ENOENT' || code === 'ENOTDIR')) return { kind: 'broken_link', viaLink };
    return { kind: 'unreadable', viaLink };
  }
  if (stat.isDirectory()) return { kind: 'folder', viaLink, folderId: folderIdOf(stat) };
  if (stat.isFile()) return { kind: 'file', viaLink };
  return { kind: 'other', viaLink };
}

/** A plain sentence for an entry that cannot be used, by kind. */
export const ENTRY_REASONS = {
  broken_link: 'broken link (it points to nothing)',
  link_loop: 'a link that leads back to itself or to a folder already scanned (a loop)',
  unreadable: 'cannot be read (no permission, or it vanished during the scan)',
  other: 'not a regular file',
} as const;

/** Reads a folder's entries in batches (so that a folder of 100,000 files does not arrive in one piece). */
export async function* folderEntries(absolute: string): AsyncGenerator<Dirent> {
  const dir = await fs.opendir(absolute, { bufferSize: 256 });
  yield* dir; // the iterator closes the folder when done or abandoned
}
