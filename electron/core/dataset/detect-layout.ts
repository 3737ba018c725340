import path from 'node:path';
import { sortClassNames } from './class-names';
import { ENTRY_REASONS, folderEntries, resolveEntry, type ResolvedEntry } from './folder-entry';
import { formatOfName } from './image-formats';
import type { ClassFolder, DatasetPart } from './list-dataset-files';
import { throwIfCancelled } from './scan-errors';
import { isHiddenName, type SkipLog } from './skip-log';

/** How a dataset folder is organised, and the class folders to walk. */
export interface DatasetLayout {
  layout: 'split' | 'class-folders';
  /** The existing split's validation folder; null for class-folders. */
  valFolder: 'val' | 'validation' | null;
  /** Sorted as the trainer sorts them: index i is the model's output i. */
  classNames: string[];
  folders: ClassFolder[];
  /** Image-named files lying outside any class folder (for the "no class folders" error). */
  loose: number;
}

interface Listed {
  name: string;
  entry: ResolvedEntry;
}

/**
 * Decides the layout from the top of the folder: "split" when the root has `train/` and `val/` (or
 * `validation/`) folders and `train/` holds at least one class folder; otherwise "class-folders", where
 * each sub-folder of the root is a class. Entries that are not class folders go to the skip log.
 */
export async function detectLayout(root: string, skips: SkipLog, signal: AbortSignal): Promise<DatasetLayout> {
  const top = await listFolder(root, signal); // failures here are the caller's to map (the root itself)
  const folder = (name: string) => top.find((e) => e.name === name && e.entry.kind === 'folder');
  const train = folder('train');
  const val = folder('val') ?? folder('validation');
  if (train && val) {
    const trainEntries = await listFolder(path.join(root, 'train'), signal).catch(() => null);
    if (trainEntries?.some((e) => e.entry.kind === 'folder' && !isHiddenName(e.name))) {
      let valEntries = await listFolder(path.join(root, val.name), signal).catch(() => null);
      if (!valEntries) {
        skips.add(`${val.name}/`, 'unreadable', ENTRY_REASONS.unreadable);
        valEntries = [];
      }
      const unused = (name: string) => name !== 'train' && name !== val.name;
      let loose = sortOut(
        top.filter((e) => unused(e.name)),
        '',
        skips,
        'outside train/ and val/',
        true,
      );
      const parts: Array<{ part: DatasetPart; name: string; parent: Listed; entries: Listed[] }> = [
        { part: 'train', name: 'train', parent: train, entries: trainEntries },
        { part: 'val', name: val.name, parent: val, entries: valEntries },
      ];
      for (const p of parts) loose += sortOut(p.entries, `${p.name}/`, skips, 'not inside a class folder', false);
      const classNames = sortClassNames(parts.flatMap((p) => classEntries(p.entries).map((e) => e.name)));
      const folders = parts.flatMap((p) =>
        classEntries(p.entries).map((e) =>
          classFolder(classNames, e, p.part, `${p.name}/`, path.join(root, p.name), p.parent.entry.viaLink),
        ),
      );
      return { layout: 'split', valFolder: val.name as 'val' | 'validation', classNames, folders, loose };
    }
  }
  const loose = sortOut(top, '', skips, 'not inside a class folder', false);
  const classNames = sortClassNames(classEntries(top).map((e) => e.name));
  const folders = classEntries(top).map((e) => classFolder(classNames, e, null, '', root, false));
  return { layout: 'class-folders', valFolder: null, classNames, folders, loose };
}

/** The entries of one folder, links resolved. */
async function listFolder(absolute: string, signal: AbortSignal): Promise<Listed[]> {
  const listed: Listed[] = [];
  for await (const dirent of folderEntries(absolute)) {
    throwIfCancelled(signal);
    listed.push({ name: dirent.name, entry: await resolveEntry(path.join(absolute, dirent.name), dirent) });
  }
  return listed;
}

function classEntries(entries: Listed[]): Listed[] {
  return entries.filter((e) => e.entry.kind === 'folder' && !isHiddenName(e.name));
}

function classFolder(
  classNames: string[],
  entry: Listed,
  part: DatasetPart,
  prefix: string,
  parent: string,
  parentViaLink: boolean,
): ClassFolder {
  return {
    classIndex: classNames.indexOf(entry.name),
    part,
    path: `${prefix}${entry.name}`,
    absolute: path.join(parent, entry.name),
    viaLink: parentViaLink || entry.entry.viaLink,
    folderId: entry.entry.folderId!,
  };
}

/**
 * Records every entry that is not a class folder in the skip log; `foldersUnused` marks folders too
 * (beside train/ and val/). Returns how many image-named files lie loose.
 */
function sortOut(entries: Listed[], prefix: string, skips: SkipLog, where: string, foldersUnused: boolean): number {
  let loose = 0;
  for (const { name, entry } of entries) {
    const relative = `${prefix}${name}`;
    if (isHiddenName(name)) {
      skips.add(
        entry.kind === 'folder' ? `${relative}/` : relative,
        'hidden',
        entry.kind === 'folder' ? 'hidden folder' : 'hidden file',
      );
    } else if (entry.kind === 'folder') {
      if (foldersUnused)
        skips.add(`${relative}/`, 'unused_folder', 'not used: with train/ and val/ present, only they are read');
    } else if (entry.kind === 'file') {
      if (formatOfName(name)) {
        loose += 1;
        skips.add(relative, 'not_in_class', `an image ${where}`);
      } else skips.add(relative, 'not_image', `not an image file, and ${where}`);
    } else if (entry.kind === 'other') skips.add(relative, 'not_image', ENTRY_REASONS.other);
    else skips.add(relative, entry.kind, ENTRY_REASONS[entry.kind]);
  }
  return loose;
}
