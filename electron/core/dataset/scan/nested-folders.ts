import type { ImageRecord } from './inspect-image-file';

/** A sub-folder of a class folder whose images (its own and deeper) count in that class. */
export interface NestedFolder {
  /** Relative to the dataset root, ending in "/" (e.g. "cats/indoor/"). */
  folder: string;
  /** The class its images are counted in. */
  className: string;
  images: number;
}

/**
 * The sub-folders of class folders that hold usable images, each with its class and image count,
 * sorted by path. Training (like the scan) takes images from a class folder recursively, so
 * cats/indoor/1.jpg is a "cats" image: right for a folder that only sorts a class, wrong for one meant
 * as a class of its own. Only the first level below a class folder is listed (deeper folders are
 * counted in it). A class folder is the first part of a path (class-folders layout) or the first two
 * (train/cats, val/cats, test/cats). Pure.
 */
export function nestedFolders(images: readonly ImageRecord[], classNames: readonly string[]): NestedFolder[] {
  const found = new Map<string, NestedFolder>();
  for (const image of images) {
    const parts = image.path.split('/');
    const depth = image.part === null ? 1 : 2; // parts naming the class folder
    if (parts.length <= depth + 1) continue; // directly inside its class folder
    const folder = `${parts.slice(0, depth + 1).join('/')}/`;
    const entry = found.get(folder);
    if (entry) entry.images += 1;
    else found.set(folder, { folder, className: classNames[image.classIndex]!, images: 1 });
  }
  return [...found.values()].sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
}
