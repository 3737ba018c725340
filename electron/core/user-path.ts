import os from 'node:os';
import path from 'node:path';
import { AppError } from '../contract';

/**
 * The one rule for every path a user gives the app (a dataset folder, a folder of new images, an
 * image archive, a weights file): absolute, normalised, a leading `~` expanded to the home folder,
 * and never the whole disk or a system folder — a scan, a mount or a copy of those is never meant.
 * Pure apart from reading the home folder's path:
 *
 *   resolveUserPath('~/photos/cats', 'folder'); // '/home/ana/photos/cats'
 *   resolveUserPath('photos', 'folder');        // throws: give the full path
 *   resolveUserPath('/proc/self', 'folder');    // throws: a system folder
 */
export function resolveUserPath(input: string, kind: 'folder' | 'file'): string {
  const word = kind === 'folder' ? 'folder' : 'file';
  const home = /^~(?=$|[/\\])/.test(input) ? path.join(os.homedir(), input.slice(1)) : input;
  if (home.includes('\0') || !path.isAbsolute(home)) {
    throw new AppError('validation', `“${input}” is not a full ${word} path.`, {
      fix: `Give the full path, e.g. ${kind === 'folder' ? '/home/you/photos' : '/home/you/downloads/file'} (or ~/photos), or use the picker.`,
    });
  }
  const resolved = path.resolve(home);
  if (isSystemPath(resolved)) {
    throw new AppError('validation', `${resolved} is the whole disk or a system folder, not a ${word} of yours.`, {
      fix: `Choose a ${word} in your own folders, e.g. under ${os.homedir()}.`,
    });
  }
  return resolved;
}

/** Folders nothing under which is a user's dataset, archive or weights file. */
const SYSTEM_TREES = ['/proc', '/sys', '/dev', '/etc', '/boot', '/bin', '/sbin', '/var/lib/docker', '/run/docker'];
/** Folders that hold users' folders: refused themselves, not what is under them. */
const SYSTEM_FOLDERS = ['/usr', '/var', '/lib', '/lib64', '/home', '/Users', '/run', '/System', '/Library'];

/** True for `/` (or a drive root), a system folder, or anything inside a system tree. Case-insensitive (macOS, Windows). */
export function isSystemPath(resolved: string): boolean {
  const p = resolved.replace(/\\/g, '/').replace(/\/+$/, '').toLowerCase();
  if (p === '' || /^[a-z]:$/.test(p)) return true; // '/' or 'C:\'
  const drive = /^[a-z]:(?=\/)/.exec(p)?.[0] ?? '';
  const rest = p.slice(drive.length);
  if (drive && (rest === '/windows' || rest.startsWith('/windows/'))) return true;
  if (drive && ['/program files', '/program files (x86)', '/programdata'].includes(rest)) return true;
  const trees = SYSTEM_TREES.map((t) => t.toLowerCase());
  if (trees.some((t) => rest === t || rest.startsWith(`${t}/`))) return true;
  return SYSTEM_FOLDERS.some((f) => rest === f.toLowerCase());
}
