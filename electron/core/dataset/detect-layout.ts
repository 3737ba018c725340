import fs from 'node:fs/promises';
import path from 'node:path';
import { sortClassNames } from './class-names';
import { ENTRY_REASONS, entryType, folderEntries, type EntryType } from './folder-entry';
import { isImageName } from './image-formats';
import type { ClassFolder } from './list-dataset-files';
import { throwIfCancelled } from './scan-errors';
import { isHiddenName, type SkipLog } from './skip-log';

/** How a dataset folder is organised, and the class folders to walk. */
export interface DatasetLayout {
  layout: 'split' | 'class-folders';
  /** The existing split's folders as named on disk; null for class-folders. */
  trainFolder: string | null;
  valFolder: string | null;
  /** Class folder names, sorted as the trainer sorts them (classes without usable images are dropped later). */
  classNames: string[];
  folders: ClassFolder[];
  /** Split layout: class folders in the validation folder that the training folder lacks (not used). */
  unknownValClasses: string[];
  /** Image-named files lying outside any class folder (for the "no class folders" error). */
  loose: number;
}

// The trainer's SPLIT_NAMES, matched in lower case, the first present wins.
const TRAIN_NAMES = ['train', 'training'];
const VAL_NAMES = ['val', 'valid', 'validation'];

interface Listed {
  name: string;
  type: EntryType;
  /** A folder, or a link to one. */
  isFolder: boolean;
}

/**
 * Decides the layout from the top of the folder, as the trainer does: "split" when the root has a
 * training folder (train/ or training/) and a validation folder (val/, valid/ or validation/), any
 * case, links followed; otherwise "class-folders", where each sub-folder of the root is a class.
 * Entries that are not class folders go to the skip log.
 */
export async function detectLayout(root: string, skips: SkipLog, signal: AbortSignal): Promise<DatasetLayout> {
  const top = await listFolder(root, signal); // failures here are the caller's to map (the root itself)
  const byLowerName = new Map(top.filter((e) => e.isFolder).map((e) => [e.name.toLowerCase(), e]));
  const pick = (names: string[]) => names.map((n) => byLowerName.get(n)).find((e) => e !== undefined);
  const train = pick(TRAIN_NAMES);
  const val = pick(VAL_NAMES);
  if (!train || !val) {
    const loose = top.filter((e) => e.type !== 'folder' && !isHiddenName(e.name) && isImageName(e.name)).length;
    const classNames = sortClassNames(classFolders(top, '', skips));
    const folders = classNames.map((name, classIndex) => classFolder(root, '', name, classIndex, null));
    return {
      layout: 'class-folders',
      trainFolder: null,
      valFolder: null,
      classNames,
      folders,
      unknownValClasses: [],
      loose,
    };
  }
  for (const e of top) {
    if (e === train || e === val) continue;
    const outside = 'outside the train/ and val/ folders';
    if (isHiddenName(e.name)) skips.add(e.isFolder ? `${e.name}/` : e.name, 'hidden', 'hidden or system file');
    else if (e.isFolder) skips.add(`${e.name}/`, 'unused_folder', outside);
    else skips.add(e.name, 'not_in_class', outside);
  }
  const partClasses = async (part: Listed) => {
    const entries = await listFolder(path.join(root, part.name), signal).catch(() => null);
    if (entries) return classFolders(entries, `${part.name}/`, skips);
    skips.add(`${part.name}/`, 'unreadable', ENTRY_REASONS.unreadable);
    return [];
  };
  const classNames = sortClassNames(await partClasses(train));
  const valClasses = sortClassNames(await partClasses(val));
  const unknownValClasses = valClasses.filter((name) => !classNames.includes(name));
  for (const name of unknownValClasses) {
    skips.add(`${val.name}/${name}/`, 'unused_folder', `class folder not in ${train.name}/: its images are not used`);
  }
  const folders = [
    ...classNames.map((name, i) => classFolder(root, `${train.name}/`, name, i, 'train')),
    ...valClasses
      .filter((name) => classNames.includes(name))
      .map((name) => classFolder(root, `${val.name}/`, name, classNames.indexOf(name), 'val')),
  ];
  return {
    layout: 'split',
    trainFolder: train.name,
    valFolder: val.name,
    classNames,
    folders,
    unknownValClasses,
    loose: 0,
  };
}

/** The entries of one folder with their types; `isFolder` follows links. */
async function listFolder(absolute: string, signal: AbortSignal): Promise<Listed[]> {
  const listed: Listed[] = [];
  for await (const dirent of folderEntries(absolute)) {
    throwIfCancelled(signal);
    const full = path.join(absolute, dirent.name);
    const type = await entryType(full, dirent);
    const isFolder =
      type === 'folder' || (type === 'link' && (await fs.stat(full).catch(() => null))?.isDirectory() === true);
    listed.push({ name: dirent.name, type, isFolder });
  }
  return listed;
}

/**
 * The class folders among a folder's entries (real sub-folders that are not hidden; links are not
 * followed here, as in the trainer); every other entry goes to the skip log.
 */
function classFolders(entries: Listed[], prefix: string, skips: SkipLog): string[] {
  const names: string[] = [];
  for (const { name, type } of entries) {
    const relative = `${prefix}${name}`;
    if (isHiddenName(name)) {
      if (type === 'folder') skips.add(`${relative}/`, 'hidden', 'hidden or system folder');
      else skips.add(relative, 'hidden', 'hidden or system file');
    } else if (type === 'folder') names.push(name);
    else if (type === 'link') skips.add(relative, 'link_not_followed', ENTRY_REASONS.class_link);
    else if (type === 'unreadable') skips.add(relative, 'unreadable', ENTRY_REASONS.unreadable);
    else skips.add(relative, 'not_in_class', 'not inside a class folder');
  }
  return names;
}

function classFolder(
  root: string,
  prefix: string,
  name: string,
  classIndex: number,
  part: ClassFolder['part'],
): ClassFolder {
  return {
    classIndex,
    part,
    path: `${prefix}${name}`,
    absolute: path.join(root, ...prefix.split('/').filter(Boolean), name),
  };
}
