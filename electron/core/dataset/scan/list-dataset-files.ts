import type { Dirent } from 'node:fs';
import path from 'node:path';
import { createLimiter } from './bounded-pool';
import { ENTRY_REASONS, entryType, folderEntries, resolveLink } from './folder-entry';
import { extensionOf, isImageName } from '../headers/image-formats';
import { throwIfCancelled } from './scan-errors';
import { isHiddenName, type SkipLog } from './skip-log';

/** Which part of an existing split a class folder belongs to (test: a test/ folder); null for a class-folders class. */
export type DatasetPart = 'train' | 'val' | 'test' | null;

/** A class folder to walk: for the split layout, one per class and part. */
export interface ClassFolder {
  classIndex: number;
  part: DatasetPart;
  /** Relative to the dataset root, "/"-separated. */
  path: string;
  absolute: string;
}

/** A file whose name says it is an image; its header is read later. */
export interface ImageCandidate {
  /** Relative to the dataset root, "/"-separated. */
  path: string;
  absolute: string;
  classIndex: number;
  part: DatasetPart;
}

/** Shared by the walks of one scan. */
export interface ListingContext {
  /** Real path of the dataset root: links must stay inside it. */
  realRoot: string;
  skips: SkipLog;
  signal: AbortSignal;
  /** Called once per folder entry seen, for progress. */
  onEntry(): void;
  /** How many folders are read at the same time. */
  concurrency: number;
}

type Limit = ReturnType<typeof createLimiter>;
const YIELD_EVERY = 64;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Lists every image candidate inside the class folders, recursively, as the trainer does: real
 * sub-folders are entered; a link to a file counts if it stays inside the dataset folder; links to
 * folders are not followed (so no loop is possible). Everything else goes to the skip log with its reason.
 */
export async function listDatasetFiles(folders: ClassFolder[], ctx: ListingContext): Promise<ImageCandidate[]> {
  const found: ImageCandidate[] = [];
  const limit = createLimiter(ctx.concurrency);
  await Promise.all(folders.map((folder) => walk(folder, folder.path, folder.absolute, ctx, limit, found)));
  return found;
}

async function walk(
  folder: ClassFolder,
  relative: string,
  absolute: string,
  ctx: ListingContext,
  limit: Limit,
  found: ImageCandidate[],
): Promise<void> {
  // The folder is read inside the limit; its sub-folders are walked after it is released, so deep trees cannot deadlock.
  const subfolders = await limit(() => readFolder(folder, relative, absolute, ctx, found));
  await Promise.all(subfolders.map((sub) => walk(folder, sub.relative, sub.absolute, ctx, limit, found)));
}

async function readFolder(
  folder: ClassFolder,
  at: string,
  atAbsolute: string,
  ctx: ListingContext,
  found: ImageCandidate[],
): Promise<Array<{ relative: string; absolute: string }>> {
  const { skips } = ctx;
  const subfolders: Array<{ relative: string; absolute: string }> = [];
  const addFile = (name: string, relative: string, absolute: string) => {
    if (isImageName(name)) found.push({ path: relative, absolute, classIndex: folder.classIndex, part: folder.part });
    else {
      const ext = extensionOf(name);
      skips.add(relative, 'not_image', ext ? `not an image file (${ext})` : 'not an image file');
    }
  };
  let sinceYield = 0;
  throwIfCancelled(ctx.signal);
  try {
    const entries: AsyncGenerator<Dirent> = folderEntries(atAbsolute);
    for await (const dirent of entries) {
      throwIfCancelled(ctx.signal);
      ctx.onEntry();
      // Buffered entries arrive as microtasks, which never let the event loop run: give it a turn now and then.
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
      const name = dirent.name;
      const relative = `${at}/${name}`;
      const absolute = `${atAbsolute}${path.sep}${name}`; // no path.join: both parts are already clean
      const type = dirent.isFile() ? 'file' : await entryType(absolute, dirent);
      if (isHiddenName(name)) {
        if (type === 'folder') skips.add(`${relative}/`, 'hidden', 'hidden or system folder');
        else skips.add(relative, 'hidden', 'hidden or system file');
      } else if (type === 'file') addFile(name, relative, absolute);
      else if (type === 'folder') subfolders.push({ relative, absolute });
      else if (type === 'other') skips.add(relative, 'not_image', ENTRY_REASONS.other);
      else if (type === 'unreadable') skips.add(relative, 'unreadable', ENTRY_REASONS.unreadable);
      else {
        const target = await resolveLink(absolute, ctx.realRoot);
        if (target === 'file') addFile(name, relative, absolute);
        else if (target === 'folder') skips.add(relative, 'link_not_followed', ENTRY_REASONS.folder_link);
        else if (target === 'other') skips.add(relative, 'not_image', ENTRY_REASONS.other);
        else skips.add(relative, target, ENTRY_REASONS[target]);
      }
    }
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    skips.add(`${at}/`, 'unreadable', 'this folder cannot be read (no permission, or it vanished)');
  }
  return subfolders;
}
