import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FolderListing } from '../../contract';

const MAX_ENTRIES = 50;

/**
 * Sub-folders that complete a partly typed path: "/data/ca" lists folders in /data starting with
 * "ca"; "/data/" lists all of /data. A leading "~" means the home folder. Hidden folders are listed
 * only when the typed prefix starts with a dot.
 */
export async function completeFolder(partial: string): Promise<FolderListing> {
  const expanded = partial.startsWith('~') ? path.join(os.homedir(), partial.slice(1)) : partial;
  const endsWithSep = /[\\/]$/.test(expanded);
  const folder = endsWithSep ? expanded : path.dirname(expanded);
  const prefix = endsWithSep ? '' : path.basename(expanded);
  let names: string[];
  try {
    const dirents = await fs.readdir(folder, { withFileTypes: true });
    names = dirents
      .filter((d) => d.isDirectory() || d.isSymbolicLink())
      .map((d) => d.name)
      .filter((name) => name.startsWith(prefix) && (prefix.startsWith('.') || !name.startsWith('.')));
  } catch {
    return { folder: path.resolve(folder), entries: [] };
  }
  names.sort((a, b) => a.localeCompare(b));
  const entries = [];
  for (const name of names) {
    const full = path.join(folder, name);
    // Symbolic links count only when they lead to a folder.
    const stat = await fs.stat(full).catch(() => null);
    if (stat?.isDirectory()) entries.push({ name, path: full });
    if (entries.length >= MAX_ENTRIES) break;
  }
  return { folder: path.resolve(folder), entries };
}
