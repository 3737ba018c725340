import { z } from 'zod';
import { call, event } from './define';

/** Why the scan left a file or folder out (docs/dataset-scan.md lists the rules; the trainer applies the same). */
export const SkipCode = z.enum([
  'hidden', // dot-files, Thumbs.db, desktop.ini, __MACOSX/ and other system files
  'not_image', // the extension is not an image extension, or not a regular file
  'corrupt', // the content is not an image, or its header cannot be read
  'truncated', // the file is cut off
  'too_large', // more than 100,000,000 pixels (a decompression bomb)
  'empty', // 0 bytes
  'unreadable', // no permission, or it vanished while scanning
  'broken_link', // a symbolic link that points to nothing
  'link_outside', // a link to a file outside the dataset folder, or with an absolute target: training cannot see it
  'link_not_followed', // a link to a folder, or a link where a class folder is expected
  'not_in_class', // a file outside any class folder
  'unused_folder', // a folder the layout does not read (beside train/ and val/, or a val/ class missing from train/)
  'empty_class', // a class folder without usable images: not used as a class
]);
export type SkipCode = z.infer<typeof SkipCode>;

/** One file or folder (path ends in "/") the scan left out, relative to the dataset root. */
export const DatasetSkippedFile = z.object({ path: z.string(), code: SkipCode, reason: z.string() });
export type DatasetSkippedFile = z.infer<typeof DatasetSkippedFile>;

export const DatasetClass = z.object({
  name: z.string(),
  /** Images in the training part (after the split). */
  train: z.number().int(),
  /** Images in the validation part (after the split). */
  val: z.number().int(),
  /** Images of the test split (a test/ folder), evaluated once at the end; absent without one. */
  test: z.number().int().optional(),
  /**
   * Automatic split: validation images at the slider's shares 5 %, 10 %, …, 50 % (index k: (k + 1) / 20),
   * by the trainer's per-file rule, so the counts follow the slider exactly without a new scan.
   */
  valByRatio: z.array(z.number().int()).optional(),
  /** A few image paths relative to the dataset root, for thumbnails. */
  samples: z.array(z.string()),
});
export type DatasetClass = z.infer<typeof DatasetClass>;

export const DatasetWarning = z.object({
  code: z.enum([
    'no_images', // blocker: no usable image at all (or none for training)
    'one_class', // blocker: fewer than two classes have images
    'val_class_unknown', // split layout: a class folder in val/ that train/ lacks
    'skipped_files',
    'tiny_class',
    'empty_class',
    'imbalance',
    'duplicates_across_classes',
    'duplicates_across_split',
    'small_images',
    'few_images',
    'nested_folders', // images in sub-folders of a class folder, counted in that class
  ]),
  /** A blocker means the folder cannot be trained on as it is; a warning only deserves a look. */
  severity: z.enum(['blocker', 'warning']),
  message: z.string(),
  /** What the user can do about it. */
  fix: z.string().optional(),
  /** How many files (or classes, for class warnings) are affected. */
  count: z.number().int(),
  /** Up to a few affected paths (relative to the root), or class names for class warnings. */
  examples: z.array(z.string()).default([]),
});
export type DatasetWarning = z.infer<typeof DatasetWarning>;

/** What a scan of a dataset folder found. The folder is only read, never written. */
export const DatasetScan = z.object({
  /** The folder as an absolute path (a leading "~" expanded). */
  root: z.string(),
  layout: z.enum(['split', 'class-folders']),
  split: z.object({
    kind: z.enum(['existing', 'auto']),
    /** The ratio used for the automatic split; null for an existing one. */
    valRatio: z.number().nullable(),
    /** The existing split's folders as named on disk (e.g. "train" and "validation"); null for an automatic split. */
    trainFolder: z.string().nullable(),
    valFolder: z.string().nullable(),
  }),
  /** Classes with at least one usable image, sorted by name (Unicode code point order): index i is the model's output i. */
  classes: z.array(DatasetClass),
  totalImages: z.number().int(),
  /**
   * The usable images' median width and height in pixels (absent in scans from before it was kept):
   * which image size suits them (electron/contract/processor-defaults.ts).
   */
  typicalSize: z.object({ width: z.number().int(), height: z.number().int() }).optional(),
  /** The first skipped entries (at most 200); `skippedTotal` says how many there are in all. */
  skipped: z.array(DatasetSkippedFile),
  skippedTotal: z.number().int(),
  /** Skipped entries counted by reason, largest first. */
  skippedByCode: z.array(z.object({ code: SkipCode, count: z.number().int() })),
  warnings: z.array(DatasetWarning),
  /** False when a blocker warning says the folder cannot be trained on as it is. */
  canTrain: z.boolean(),
  durationMs: z.number(),
});
export type DatasetScan = z.infer<typeof DatasetScan>;

/**
 * About how many validation images the automatic split takes from a class of `n` images: none from a
 * class of 0 or 1; otherwise n × ratio rounded as Python's `round` does (halves to even), at least 1 and
 * at most n − 1. The trainer decides per file (`stratified_split` in docker/deit_trainer/dataset.py: a
 * file is val when its own draw is below the ratio), so this is the expected count; a scan's exact counts
 * are in `DatasetClass.valByRatio`. The renderer falls back to this where a scan has none.
 */
export function autoValCount(n: number, ratio: number): number {
  if (n < 2) return 0;
  return Math.min(n - 1, Math.max(1, roundHalfEven(n * ratio)));
}

/** Python's `round(x)` for a float: to the nearest integer, halves to the even one. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor; // exact for doubles
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export const Thumbnail = z.object({ mime: z.string(), dataBase64: z.string() });
export type Thumbnail = z.infer<typeof Thumbnail>;

/** The built-in sample dataset, unpacked into the app's data folder (assets/README.md: source, licence). */
export const SampleDataset = z.object({
  /** The sample's folder: scan it and train on it like any other dataset folder. */
  path: z.string(),
  title: z.string(),
  description: z.string(),
  images: z.number().int(),
  classes: z.number().int(),
  /** Where the images come from and their licence, in one line. */
  credit: z.string(),
});
export type SampleDataset = z.infer<typeof SampleDataset>;

/** Two images of different classes that look the same (resized, re-encoded), paths relative to the root. */
export const SimilarPair = z.object({
  a: z.string(),
  b: z.string(),
  classA: z.string(),
  classB: z.string(),
  /** Perceptual-hash bits that differ, 0–6 of 64: 0 is the same picture as far as the hash can tell. */
  distance: z.number().int(),
});
export type SimilarPair = z.infer<typeof SimilarPair>;

/** Near-duplicates across classes in a scanned folder (byte-identical copies are the scan's own warning). */
export const SimilarImages = z.object({
  root: z.string(),
  /** The closest pairs first, at most 200; `pairsTotal` counts them all. */
  pairs: z.array(SimilarPair),
  pairsTotal: z.number().int(),
  /** Images compared. */
  compared: z.number().int(),
  /** Images not compared: BMP (not decoded here), damaged inside (training skips them too), one plain colour. */
  notCompared: z.object({ unsupported: z.number().int(), undecodable: z.number().int(), plain: z.number().int() }),
  durationMs: z.number(),
});
export type SimilarImages = z.infer<typeof SimilarImages>;

const path = z.string().min(1).max(4096);

export const datasetCalls = {
  'dataset.scan': call(
    z.object({ path, valRatio: z.number().gt(0).lt(1).default(0.2) }),
    DatasetScan,
    'Scans a dataset folder: classes, counts, split, skipped files and warnings (progress as dataset.progress). A newer scan of the same folder cancels this one.',
  ),
  'dataset.cancelScan': call(
    z.object({ path }),
    z.object({ cancelled: z.boolean() }),
    'Cancels the running scan of a folder, if any (its dataset.scan call then fails with kind "cancelled").',
  ),
  'dataset.sample': call(
    z.object({}),
    SampleDataset,
    'The built-in sample dataset (handwritten digits): unpacked once into the data folder; returns its folder to scan.',
  ),
  'dataset.similar': call(
    z.object({ path }),
    SimilarImages,
    'Looks for near-duplicates across classes (the same picture resized or re-encoded) in a folder scanned in this session, by a perceptual hash of each image (progress as dataset.similarProgress). A newer check or scan of the folder cancels it.',
  ),
  'dataset.thumbnail': call(
    z.object({ root: path, file: path }),
    Thumbnail,
    'A small image of one file inside a folder scanned or classified in this session (file relative to root, as in samples).',
  ),
};

export const datasetEvents = {
  'dataset.progress': event(
    z.object({
      /** The scanned folder, as in `DatasetScan.root`. */
      root: z.string(),
      /** Files and folders listed so far. */
      filesSeen: z.number().int(),
      /** Image candidates whose headers have been read. */
      filesRead: z.number().int(),
      /** Image candidates to read; null while still listing. */
      filesTotal: z.number().int().nullable(),
      phase: z.enum(['listing', 'reading', 'done']),
    }),
    'Progress of a dataset scan, at most about ten a second.',
  ),
  'dataset.similarProgress': event(
    z.object({ root: z.string(), done: z.number().int(), total: z.number().int() }),
    'Progress of a near-duplicate check: images hashed so far, at most about ten a second.',
  ),
};
