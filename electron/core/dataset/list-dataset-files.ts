import type { Dirent } from 'node:fs';
import path from 'node:path';
import { createLimiter } from './bounded-pool';
import { ENTRY_REASONS, folderEntries, resolveEntry } from './folder-entry';
import { extensionOf, formatOfName, type ImageFormat } from './image-formats';
import { throwIfCancelled } from './scan-errors';
import { isHiddenName, type SkipLog } from './skip-log';

/** Which part of an existing split a class folder belongs to; null for the class-folders layout. */
export type DatasetPart = 'train' | 'val' | null;

/** A class folder to walk: for the split layout, one per class and part. */
export interface ClassFolder {
  classIndex: number;
  part: DatasetPart;
  /** Relative to the dataset root, "/"-separated. */
  path: string;
  absolute: string;
  viaLink: boolean;
  folderId: string;
}

/** A file whose name says it is an image; its header is read later. */
export interface ImageCandidate {
  /** Relative to the dataset root, "/"-separated. */
  path: string;
  absolute: string;
  classIndex: number;
  part: DatasetPart;
  format: ImageFormat;
  /** A symbolic link was followed on the way (previews prefer files reached without one). */
  viaLink: boolean;
}

/** Shared by the walks of one scan. */
export interface ListingContext {
  skips: SkipLog;
  signal: AbortSignal;
  /** Called once per folder entry seen, for progress. */
  onEntry(): void;
  /** How many folders are read at the same time. */
  concurrency: number;
}

/**
 * Lists every image candidate inside the class folders, recursively, following symbolic links with a
 * loop guard per class folder; everything else is recorded in the skip log with its reason.
 */
export async function listDatasetFiles(folders: ClassFolder[], ctx: ListingContext): Promise<ImageCandidate[]> {
  const found: ImageCandidate[] = [];
  const limit = createLimiter(ctx.concurrency);
  await Promise.all(folders.map((folder) => walkClassFolder(folder, ctx, limit, found)));
  return found;
}

type Limit = ReturnType<typeof createLimiter>;
interface Pending {
  absolute: string;
  path: string;
  viaLink: boolean;
}

async function walkClassFolder(folder: ClassFolder, ctx: ListingContext, limit: Limit, found: ImageCandidate[]) {
  const visited = new Set([folder.folderId]);
  const { skips } = ctx;

  const addFile = (name: string, relative: string, absolute: string, viaLink: boolean): void => {
    const format = formatOfName(name);
    if (format) {
      found.push({ path: relative, absolute, classIndex: folder.classIndex, part: folder.part, format, viaLink });
    } else {
      const ext = extensionOf(name);
      skips.add(relative, 'not_image', ext ? `not an image file (${ext})` : 'not an image file');
    }
  };

  const readFolder = async (at: Pending): Promise<Pending[]> => {
    throwIfCancelled(ctx.signal);
    const subfolders: Pending[] = [];
    let entries: AsyncGenerator<Dirent>;
    try {
      entries = folderEntries(at.absolute);
      for await (const dirent of entries) {
        throwIfCancelled(ctx.signal);
        ctx.onEntry();
        const name = dirent.name;
        const relative = `${at.path}/${name}`;
        const absolute = path.join(at.absolute, name);
        if (isHiddenName(name)) {
          if (dirent.isDirectory()) skips.add(`${relative}/`, 'hidden', 'hidden folder');
          else skips.add(relative, 'hidden', 'hidden file');
          continue;
        }
        const entry = await resolveEntry(absolute, dirent);
        const viaLink = at.viaLink || entry.viaLink;
        if (entry.kind === 'file') addFile(name, relative, absolute, viaLink);
        else if (entry.kind === 'folder') {
          if (visited.has(entry.folderId!)) skips.add(`${relative}/`, 'link_loop', ENTRY_REASONS.link_loop);
          else {
            visited.add(entry.folderId!);
            subfolders.push({ absolute, path: relative, viaLink });
          }
        } else if (entry.kind === 'other') skips.add(relative, 'not_image', ENTRY_REASONS.other);
        else skips.add(relative, entry.kind, ENTRY_REASONS[entry.kind]);
      }
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      skips.add(`${at.path}/`, 'unreadable', 'this folder cannot be read (no permission, or it vanished)');
    }
    return subfolders;
  };

  const walk = async (at: Pending): Promise<void> => {
    // The folder is read inside the limit; its sub-folders are walked after it is released, so deep trees cannot deadlock.
    const subfolders = await limit(() => readFolder(at));
    await Promise.all(subfolders.map(walk));
  };

  await walk({ absolute: folder.absolute, path: folder.path, viaLink: folder.viaLink });
}
