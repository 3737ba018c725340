import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../contract';

/**
 * Reading files a container could have written (a run's output/ folder; the whole run folder of a run
 * from before output/ existed) without trusting them: a trainer that runs a crafted image through a
 * decoder bug may plant a link to `/dev/zero` or to a file of the user, a FIFO that blocks any reader,
 * or a file of many gigabytes. So every read here
 *
 * - refuses a link anywhere below `within` (the last part opened with O_NOFOLLOW, the folders above it
 *   compared with their real path),
 * - opens with O_NONBLOCK (a FIFO does not block the open) and needs a regular file (fstat),
 * - reads at most a cap, from the size seen when opened (a file that keeps growing changes nothing).
 *
 *   const text = await readContainerText(folder.trainerFile('report.md'), folder.trainerDir, CAPS.report);
 *   const { text, cut } = await readContainerTail(folder.trainLog, folder.trainerDir, CAPS.logTail);
 *   const file = await openContainerFile(folder.metrics, folder.trainerDir); // stream it yourself
 *
 * A missing file is `null`; a refused one throws an AppError (`not_available`, detail `unsafe_file`)
 * naming the file and why, which callers that show "not there yet" may treat as missing.
 */

const MIB = 1024 * 1024;

/** Caps per kind of file; a legitimate run stays far below each. */
export const CAPS = {
  /** eval/metrics.json, eval/misclassified.json, export/parity.json, resolved-config.json, split.json, skipped.json. */
  json: 16 * MIB,
  report: 4 * MIB,
  /** What `runs.log` and a crash's last lines look at: the end of train.log. */
  logTail: 8 * MIB,
  /** gpu.jsonl read back: its last part (a sample every few seconds is a few MiB a day). */
  gpuTail: 64 * MIB,
  /** metrics.jsonl in all (streamed; one line is capped by the line splitter at 4 MiB). */
  metrics: 512 * MIB,
  /** A predictions CSV (about 200 bytes an image). */
  csv: 128 * MIB,
  /** The app's own run.json / state.json (a run from before output/ shared them with its container). */
  record: 4 * MIB,
} as const;

// O_NOFOLLOW and O_NONBLOCK do not exist on Windows; there the real-path check still refuses links.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** An opened regular file and its size when opened; the caller closes `handle`. */
export interface ContainerFile {
  handle: FileHandle;
  size: number;
}

/** The error for a file that is a link, a device, a FIFO, a folder or too big. */
export function unsafeFile(file: string, why: string): AppError {
  return new AppError(
    'not_available',
    `${path.basename(file)} in the run folder ${why}, so DeiT Studio does not read it.`,
    {
      fix: 'The training container may have been tampered with (for example by a crafted image in the dataset): check the run folder, or delete the run.',
      detail: `unsafe_file: ${file}`,
    },
  );
}

/** True for the error `unsafeFile` makes. */
export function isUnsafeFile(error: unknown): boolean {
  return error instanceof AppError && (error.detail ?? '').startsWith('unsafe_file');
}

/**
 * Opens `file` (inside the folder `within`) for reading: null when it (or a folder on the way) does
 * not exist; throws `unsafeFile` for a link on the way or anything but a regular file.
 */
export async function openContainerFile(file: string, within: string): Promise<ContainerFile | null> {
  const rel = path.relative(within, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw unsafeFile(file, 'is not inside its folder');
  let realWithin: string;
  let realParent: string;
  try {
    realWithin = await fs.realpath(within);
    realParent = await fs.realpath(path.dirname(file));
  } catch {
    return null;
  }
  // A folder on the way that is a link (to inside or outside) makes the real path differ.
  if (realParent !== path.join(realWithin, path.dirname(rel))) throw unsafeFile(file, 'is inside a link');
  const target = path.join(realParent, path.basename(file));
  // Without O_NOFOLLOW (Windows) a link is seen by lstat instead (a narrower check: it races a swap).
  if (constants.O_NOFOLLOW === undefined && (await fs.lstat(target).catch(() => null))?.isSymbolicLink()) {
    throw unsafeFile(file, 'is a link');
  }
  let handle: FileHandle;
  try {
    handle = await fs.open(target, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'ELOOP' || code === 'EMLINK') throw unsafeFile(file, 'is a link');
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw unsafeFile(file, 'is not a regular file');
    return { handle, size: stat.size };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/** Reads `length` bytes from `position` (fewer when the file shrank meanwhile). */
async function readRange(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

/** A whole small file as text; null when missing; `unsafeFile` when it is not a regular file or over `maxBytes`. */
export async function readContainerText(file: string, within: string, maxBytes: number): Promise<string | null> {
  const opened = await openContainerFile(file, within);
  if (!opened) return null;
  try {
    if (opened.size > maxBytes) throw unsafeFile(file, `is larger than ${Math.round(maxBytes / MIB)} MiB`);
    return (await readRange(opened.handle, 0, opened.size)).toString('utf8');
  } finally {
    await opened.handle.close();
  }
}

/** A small JSON file parsed; null when missing, not JSON, or refused (callers show "not there"). */
export async function readContainerJson(file: string, within: string, maxBytes: number = CAPS.json): Promise<unknown> {
  let text: string | null;
  try {
    text = await readContainerText(file, within, maxBytes);
  } catch (error) {
    if (isUnsafeFile(error)) return null;
    throw error;
  }
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * The last `maxBytes` of a file as text, starting at a line when cut (`cut`: earlier lines were left
 * out); empty when missing. A log of any size costs at most `maxBytes`.
 */
export async function readContainerTail(
  file: string,
  within: string,
  maxBytes: number,
): Promise<{ text: string; cut: boolean }> {
  const opened = await openContainerFile(file, within);
  if (!opened) return { text: '', cut: false };
  try {
    const start = Math.max(0, opened.size - maxBytes);
    let bytes = await readRange(opened.handle, start, opened.size - start);
    if (start > 0) {
      const newline = bytes.indexOf(0x0a);
      bytes = newline === -1 ? bytes.subarray(bytes.length) : bytes.subarray(newline + 1);
    }
    return { text: bytes.toString('utf8'), cut: start > 0 };
  } finally {
    await opened.handle.close();
  }
}
