import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { forEachBounded } from './bounded-pool';
import type { ImageRecord } from './inspect-image-file';
import { throwIfCancelled } from './scan-errors';

/** Sets of identical files that matter for training, each set's paths sorted. */
export interface DuplicateFindings {
  /** Sets whose files are in more than one class: the same picture with two labels. */
  acrossClasses: string[][];
  /**
   * Split layout: sets with files in both train/ and val/. Class-folders layout: sets with two or
   * more files in one class, which the automatic split may put on both sides.
   */
  acrossSplit: string[][];
}

/**
 * Collects images by size and fingerprint as they are read, so that only files that may be identical
 * are ever compared; 100,000 distinct files cost one map entry each and no extra reads.
 */
export class DuplicateIndex {
  private readonly byKey = new Map<string, number | number[]>();

  /** Adds the image stored at `index` of the scan's image list. */
  add(index: number, image: ImageRecord): void {
    const key = `${image.size}:${image.fingerprint}`;
    const seen = this.byKey.get(key);
    if (seen === undefined) this.byKey.set(key, index);
    else if (typeof seen === 'number') this.byKey.set(key, [seen, index]);
    else seen.push(index);
  }

  /** Sets of two or more images with the same size and fingerprint. */
  candidates(): number[][] {
    const sets: number[][] = [];
    for (const value of this.byKey.values()) if (typeof value !== 'number') sets.push(value);
    return sets;
  }
}

/** Whether a set of identical images needs a warning under this layout (see `DuplicateFindings`). */
export function duplicatesMatter(images: ImageRecord[], layout: 'split' | 'class-folders'): boolean {
  return acrossClasses(images) || (layout === 'split' ? acrossParts(images) : sameClassTwice(images));
}

/** Sorts confirmed sets of identical images into the kinds of warning they call for. Pure. */
export function classifyDuplicates(sets: ImageRecord[][], layout: 'split' | 'class-folders'): DuplicateFindings {
  const findings: DuplicateFindings = { acrossClasses: [], acrossSplit: [] };
  for (const set of sets) {
    const paths = set.map((image) => image.path).sort();
    if (acrossClasses(set)) findings.acrossClasses.push(paths);
    if (layout === 'split' ? acrossParts(set) : sameClassTwice(set)) findings.acrossSplit.push(paths);
  }
  const byFirstPath = (a: string[], b: string[]) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1);
  findings.acrossClasses.sort(byFirstPath);
  findings.acrossSplit.sort(byFirstPath);
  return findings;
}

/**
 * Finds sets of byte-identical images among the candidates: sets whose fingerprint already covers the
 * whole file are final; the others are confirmed by hashing the files in full (only those files).
 */
export async function findDuplicates(
  images: ImageRecord[],
  index: DuplicateIndex,
  options: { layout: 'split' | 'class-folders'; signal: AbortSignal; concurrency: number },
): Promise<DuplicateFindings> {
  const sets = index.candidates().map((set) => set.map((i) => images[i]!));
  const relevant = sets.filter((set) => duplicatesMatter(set, options.layout));
  const confirmed: ImageRecord[][] = relevant.filter((set) => set[0]!.whole);
  const toHash = relevant.filter((set) => !set[0]!.whole);
  const files = toHash.flat();
  const hashes = new Map<ImageRecord, string>();
  await forEachBounded(files.length, options.concurrency, async (i) => {
    throwIfCancelled(options.signal);
    const image = files[i]!;
    hashes.set(image, await hashFile(image.absolute).catch(() => `unreadable:${i}`));
  });
  for (const set of toHash) {
    const byHash = new Map<string, ImageRecord[]>();
    for (const image of set) {
      const hash = hashes.get(image)!;
      const same = byHash.get(hash);
      if (same) same.push(image);
      else byHash.set(hash, [image]);
    }
    for (const same of byHash.values())
      if (same.length > 1 && duplicatesMatter(same, options.layout)) confirmed.push(same);
  }
  return classifyDuplicates(confirmed, options.layout);
}

/** SHA-1 of a whole file, read as a stream. */
export function hashFile(absolute: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha1');
    createReadStream(absolute, { highWaterMark: 256 * 1024 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('base64url')));
  });
}

function acrossClasses(images: ImageRecord[]): boolean {
  return images.some((image) => image.classIndex !== images[0]!.classIndex);
}

/** The same picture in train/ and in val/ or test/: it would be scored on after being trained on. */
function acrossParts(images: ImageRecord[]): boolean {
  return images.some((image) => image.part === 'train') && images.some((i) => i.part === 'val' || i.part === 'test');
}

function sameClassTwice(images: ImageRecord[]): boolean {
  const seen = new Set<number>();
  for (const image of images) {
    if (seen.has(image.classIndex)) return true;
    seen.add(image.classIndex);
  }
  return false;
}
