import type { ImageRecord } from './inspect-image-file';

/** Images whose shorter side is under this many pixels are "very small" (training resizes to 224). */
export const SMALL_SIDE = 64;
/** Preview paths kept per class. */
export const SAMPLES_PER_CLASS = 4;
/** Example paths kept for a warning. */
export const EXAMPLES = 5;

/** Counts per class and part, preview samples, and very small images, added up as images are read. */
export class ClassTally {
  readonly train: number[];
  readonly val: number[];
  /** Images of the test split (a test/ folder): evaluated once at the end, never trained or validated on. */
  readonly test: number[];
  /** Images that train or validate: in a class-folders class, those the automatic split shares out. */
  readonly all: number[];
  private readonly samples: Array<KeepLowest<string>>;
  private readonly small = new KeepLowest<string>(EXAMPLES);
  smallCount = 0;

  constructor(classCount: number) {
    this.train = new Array<number>(classCount).fill(0);
    this.val = new Array<number>(classCount).fill(0);
    this.test = new Array<number>(classCount).fill(0);
    this.all = new Array<number>(classCount).fill(0);
    this.samples = Array.from({ length: classCount }, () => new KeepLowest<string>(SAMPLES_PER_CLASS));
  }

  /** Counts one usable image. */
  add(image: ImageRecord): void {
    const c = image.classIndex;
    if (image.part === 'test') {
      this.test[c]! += 1;
      return;
    }
    this.all[c]! += 1;
    if (image.part === 'train') this.train[c]! += 1;
    else if (image.part === 'val') this.val[c]! += 1;
    // A pseudo-random but repeatable choice, spread over the class rather than its first few files.
    this.samples[c]!.add(image.path, fnv1a(image.path));
    if (Math.min(image.width, image.height) < SMALL_SIDE) {
      this.smallCount += 1;
      this.small.add(image.path, 0);
    }
  }

  /** The preview paths of a class, sorted. */
  samplesOf(classIndex: number): string[] {
    return this.samples[classIndex]!.values().sort();
  }

  /** A few very small images, by path. */
  smallExamples(): string[] {
    return this.small.values().sort();
  }
}

/** Keeps the `limit` items with the lowest rank (ties: the lowest item), in O(limit) per add. */
export class KeepLowest<T extends string> {
  private readonly kept: Array<{ item: T; rank: number }> = [];

  constructor(private readonly limit: number) {}

  add(item: T, rank: number): void {
    const worse = (a: { item: T; rank: number }) => a.rank > rank || (a.rank === rank && a.item > item);
    if (this.kept.length < this.limit) this.kept.push({ item, rank });
    else {
      let worst = 0;
      for (let i = 1; i < this.kept.length; i++) {
        const k = this.kept[i]!;
        const w = this.kept[worst]!;
        if (k.rank > w.rank || (k.rank === w.rank && k.item > w.item)) worst = i;
      }
      if (worse(this.kept[worst]!)) this.kept[worst] = { item, rank };
    }
  }

  values(): T[] {
    return this.kept.map((k) => k.item);
  }
}

/** 32-bit FNV-1a hash of a string: cheap, stable across runs and machines. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
