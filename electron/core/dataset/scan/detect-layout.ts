import fs from 'node:fs/promises';
import path from 'node:path';
import { sortClassNames } from './class-names';
import { ENTRY_REASONS, entryType, folderEntries, type EntryType } from './folder-entry';
import { isImageName } from '../headers/image-formats';
import type { ClassFolder } from './list-dataset-files';
import { throwIfCancelled } from './scan-errors';
import { isHiddenName, type SkipLog } from './skip-log';

/** How a dataset folder is organised, and the class folders to walk. */
export interface DatasetLayout {
  layout: 'split' | 'class-folders';
  /** The existing split's folders as named on disk; null for class-folders. */
  trainFolder: string | null;
  valFolder: string | null;
  /** The test split's folder as named on disk (test/ or testing/), null without one. */
  testFolder: string | null;
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
const TEST_NAMES = ['test', 'testing'];

interface Listed {
  name: string;
  type: EntryType;
  /** A folder, or a link to one. */
  isFolder: boolean;
}

/**
 * Decides the layout from the top of the folder, as the trainer does: "split" when the root has a
 * training folder (train/ or training/) and a validation folder (val/, valid/ or validation/), any
 * case, links followed, and maybe a test folder (test/ or testing/); otherwise "class-folders", where
 * each sub-folder of the root is a class, except a test/ folder holding folders named like the classes
 * (the test split, which the trainer evaluates once at the end). Entries that are not class folders
 * go to the skip log.
 */
export async function detectLayout(root: string, skips: SkipLog, signal: AbortSignal): Promise<DatasetLayout> {
  const top = await listFolder(root, signal); // failures here are the caller's to map (the root itself)
  const byLowerName = new Map(top.filter((e) => e.isFolder).map((e) => [e.name.toLowerCase(), e]));
  const pick = (names: string[]) => names.map((n) => byLowerName.get(n)).find((e) => e !== undefined);
  const train = pick(TRAIN_NAMES);
  const val = pick(VAL_NAMES);
  if (!train || !val) {
    const loose = top.filter((e) => e.type !== 'folder' && !isHiddenName(e.name) && isImageName(e.name)).length;
    const test = await testBesideClasses(root, top, signal);
    const classNames = sortClassNames(classFolders(top, '', skips).filter((name) => name !== test?.name));
    const folders = classNames.map((name, classIndex) => classFolder(root, '', name, classIndex, null));
    if (test) folders.push(...testFolders(root, test.name, test.entries, classNames, skips));
    return {
      layout: 'class-folders',
      trainFolder: null,
      valFolder: null,
      testFolder: test?.name ?? null,
      classNames,
      folders,
      unknownValClasses: [],
      loose,
    };
  }
  const test = pick(TEST_NAMES);
  for (const e of top) {
    if (e === train || e === val || e === test) continue;
    const outside = 'outside the train/, val/ and test/ folders';
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
  if (test) {
    const entries = await listFolder(path.join(root, test.name), signal).catch(() => null);
    if (entries) folders.push(...testFolders(root, test.name, entries, classNames, skips));
    else skips.add(`${test.name}/`, 'unreadable', ENTRY_REASONS.unreadable);
  }
  return {
    layout: 'split',
    trainFolder: train.name,
    valFolder: val.name,
    testFolder: test?.name ?? null,
    classNames,
    folders,
    unknownValClasses,
    loose: 0,
  };
}

/**
 * Class-folders layout: the top folder named test/ or testing/ (any case) that holds a real folder
 * named like another top folder is the test split, not a class (the trainer's _test_dir_beside_classes).
 */
async function testBesideClasses(
  root: string,
  top: Listed[],
  signal: AbortSignal,
): Promise<{ name: string; entries: Listed[] } | null> {
  const folders = top.filter((e) => e.type === 'folder' && !isHiddenName(e.name));
  const candidates = folders.filter((e) => TEST_NAMES.includes(e.name.toLowerCase()));
  for (const candidate of candidates.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const entries = await listFolder(path.join(root, candidate.name), signal).catch(() => null);
    const others = new Set(folders.filter((e) => e !== candidate).map((e) => e.name));
    if (entries?.some((e) => e.type === 'folder' && others.has(e.name))) return { name: candidate.name, entries };
  }
  return null;
}

/** The test folder's class folders (part "test"); folders named like no class are skipped, as by the trainer. */
function testFolders(
  root: string,
  name: string,
  entries: Listed[],
  classNames: string[],
  skips: SkipLog,
): ClassFolder[] {
  return classFolders(entries, `${name}/`, skips).flatMap((c) => {
    if (classNames.includes(c)) return [classFolder(root, `${name}/`, c, classNames.indexOf(c), 'test')];
    skips.add(`${name}/${c}/`, 'unused_folder', 'class folder not among the training classes: its images are not used');
    return [];
  });
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
