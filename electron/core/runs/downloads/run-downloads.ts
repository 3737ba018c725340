import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppError, type RunFile, type RunFileKind, type RunFiles } from '../../../contract';
import { APP_FILES, resolveRunDir, RunFolder, type RunLayout } from '../folder/run-folder';

/**
 * A run folder's files for downloading (serve mode): what there is, and one file opened safely.
 * Only regular files inside the run folder are served: no path that leaves it, no symbolic link
 * anywhere on the way (one pointing out of the folder would hand out any file of the server), no
 * device or folder. The zip (run-zip.ts) carries the same files minus resume checkpoints.
 * Paths are the run's as one folder, as before output/ existed: the app's files (run.json, state.json,
 * config.json, gpu.jsonl) from the root, everything else from output/ (`export/model.onnx` is
 * `output/export/model.onnx` on disk); a run from before output/ is served as it is.
 *
 *   const list = await listRunFiles(runsDir, id);           // for the results view
 *   const file = await openRunFile(runsDir, id, 'export/model.onnx');
 *   file.handle.createReadStream({ start: 0, end: file.size - 1 }).pipe(res);
 */

/** An opened file of a run folder; the caller closes `handle` (a read stream from it closes it). */
export interface OpenRunFile {
  handle: FileHandle;
  /** Relative to the run folder, `/` separators. */
  path: string;
  size: number;
  mtime: Date;
  mode: number;
}

// Never followed, where the OS can say so (Windows has no O_NOFOLLOW; the realpath check still holds).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/** Left out of the zip: resume state (the largest file, useless without the app) and temp files. */
export function inZip(file: string): boolean {
  const parts = file.split('/');
  if (parts.some((part) => part === '__pycache__' || part === 'cache')) return false;
  if (file === 'checkpoints/last.pt') return false;
  return !isTempName(parts[parts.length - 1] ?? '');
}

/** Half-written atomic files (`.name.1a2b3c4d.tmp`) and other hidden files. */
function isTempName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.tmp');
}

export function runFileKind(file: string): RunFileKind {
  if (file === 'report.md') return 'report';
  if (file.startsWith('predictions/')) return 'prediction';
  if (file.startsWith('checkpoints/')) return 'checkpoint';
  if (file.startsWith('export/')) return /\.(onnx|pt)$/.test(file) ? 'model' : 'export';
  return 'record';
}

function refused(message: string): AppError {
  return new AppError('unauthorized', message, {
    fix: 'Download files from the results page; only files inside the run folder are served.',
    detail: 'outside_run_folder',
  });
}

function missing(file: string): AppError {
  return new AppError('not_found', `The run folder has no file "${file}".`, {
    fix: 'Reload the results page: the file may have been removed.',
  });
}

/** A run folder as downloads see it: its real path and its layout. */
interface RunTree {
  dir: string;
  layout: RunLayout;
}

/** Where a path of the run lives on disk: the app's files in the root, the rest in output/. */
function onDisk(tree: RunTree, parts: string[]): string {
  const appFile = parts.length === 1 && (APP_FILES as readonly string[]).includes(parts[0]!);
  return tree.layout === 'output' && !appFile ? path.join(tree.dir, 'output', ...parts) : path.join(tree.dir, ...parts);
}

async function runTree(runsDir: string, id: string): Promise<RunTree> {
  return { dir: await realRunDir(runsDir, id), layout: new RunFolder(runsDir, id).layout };
}

/** The run folder's real path, refusing a run folder that is itself a link to elsewhere. */
async function realRunDir(runsDir: string, id: string): Promise<string> {
  const dir = resolveRunDir(runsDir, id);
  let realRoot: string;
  let real: string;
  try {
    realRoot = await fs.realpath(runsDir);
    real = await fs.realpath(dir);
  } catch {
    throw new AppError('not_found', `There is no run "${id}".`, { fix: 'Pick a run from the runs list.' });
  }
  if (real !== path.join(realRoot, id)) throw refused('This run folder is a link to somewhere else.');
  return real;
}

/** Checks a relative path's parts: plain names only (no `..`, no absolute path, no hidden temp file). */
function fileParts(file: string): string[] {
  const parts = file.split('/');
  const bad = parts.some(
    (part) => part === '' || part === '.' || part === '..' || part.includes('\\') || part.includes('\0'),
  );
  if (bad || path.isAbsolute(file)) throw refused(`"${file}" is not a path inside the run folder.`);
  return parts;
}

/** Opens one regular file of a run folder, refusing anything outside it or reached through a link. */
export async function openRunFile(runsDir: string, id: string, file: string): Promise<OpenRunFile> {
  const parts = fileParts(file);
  const target = onDisk(await runTree(runsDir, id), parts);
  let real: string;
  try {
    real = await fs.realpath(target);
  } catch {
    throw missing(file);
  }
  // Any link on the way (to inside or outside) makes the real path differ from the written one.
  if (real !== target) throw refused(`"${file}" is a link; links are not served.`);
  let handle: FileHandle;
  try {
    handle = await fs.open(real, OPEN_FLAGS);
  } catch (error) {
    // ELOOP: replaced by a link between the check and the open.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw refused(`"${file}" is a link; links are not served.`);
    throw missing(file);
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw refused(`"${file}" is not a regular file.`);
  }
  return { handle, path: parts.join('/'), size: stat.size, mtime: stat.mtime, mode: stat.mode };
}

/** Every regular file of a folder (links, special files and hidden folders skipped), sorted by path. */
async function walk(dir: string, rel = ''): Promise<Array<{ path: string; size: number }>> {
  const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
  const found: Array<{ path: string; size: number }> = [];
  for (const entry of entries) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !entry.name.startsWith('.')) found.push(...(await walk(dir, child)));
    else if (entry.isFile() && !isTempName(entry.name)) {
      const stat = await fs.lstat(path.join(dir, child)).catch(() => null);
      if (stat?.isFile()) found.push({ path: child, size: stat.size });
    }
  }
  return found;
}

/** The run's files by their paths in the run (see the top): the app's from the root, the trainer's from output/. */
async function runFilesOnDisk(tree: RunTree): Promise<Array<{ path: string; size: number }>> {
  if (tree.layout === 'legacy') return walk(tree.dir);
  const appFiles: Array<{ path: string; size: number }> = [];
  for (const name of APP_FILES) {
    const stat = await fs.lstat(path.join(tree.dir, name)).catch(() => null);
    if (stat?.isFile()) appFiles.push({ path: name, size: stat.size });
  }
  // A file the trainer named like one of the app's is shadowed by the app's (never served instead of it).
  const trainer = (await walk(path.join(tree.dir, 'output'))).filter(
    (f) => !(APP_FILES as readonly string[]).includes(f.path),
  );
  return [...appFiles, ...trainer];
}

/** The downloadable files of a run and what its zip holds. */
export async function listRunFiles(runsDir: string, id: string): Promise<RunFiles> {
  const found = await runFilesOnDisk(await runTree(runsDir, id));
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files: RunFile[] = found.map((f) => ({
    path: f.path,
    kind: runFileKind(f.path),
    sizeBytes: f.size,
    inZip: inZip(f.path),
  }));
  return { files, zipBytes: files.filter((f) => f.inZip).reduce((sum, f) => sum + f.sizeBytes, 0) };
}

/**
 * Opens every file the zip will carry, up front: the zip then holds a consistent snapshot (a file
 * the trainer replaces meanwhile is still read from the version that was opened, to the size seen).
 */
export async function openZipFiles(runsDir: string, id: string): Promise<OpenRunFile[]> {
  const { files } = await listRunFiles(runsDir, id);
  const opened: OpenRunFile[] = [];
  try {
    for (const file of files.filter((f) => f.inZip)) {
      try {
        opened.push(await openRunFile(runsDir, id, file.path));
      } catch (error) {
        // Removed or swapped for a link since the listing: leave it out rather than fail the zip.
        if (error instanceof AppError) continue;
        throw error;
      }
    }
  } catch (error) {
    await Promise.all(opened.map((f) => f.handle.close()));
    throw error;
  }
  return opened;
}
