import { z } from 'zod';
import { call, event } from './define';

/** Why the scan left a file or folder out (docs/dataset-scan.md lists the rules; the trainer applies the same). */
export const SkipCode = z.enum([
  'hidden', // dot-files, Thumbs.db, desktop.ini, __MACOSX/
  'not_image', // the extension is not an image extension, or not a regular file
  'wrong_extension', // the content is another image format than the extension says
  'corrupt', // the content or header is not a valid image
  'truncated', // the file is cut off
  'too_large', // more pixels than Pillow's decompression-bomb limit
  'empty', // 0 bytes
  'unreadable', // no permission, or it vanished while scanning
  'broken_link', // a symbolic link that points to nothing
  'link_loop', // a link back to a folder already scanned
  'not_in_class', // a file outside any class folder
  'unused_folder', // a folder beside train/ and val/ that the split layout does not read
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
  /** A few image paths relative to the dataset root, for thumbnails. */
  samples: z.array(z.string()),
});
export type DatasetClass = z.infer<typeof DatasetClass>;

export const DatasetWarning = z.object({
  code: z.enum([
    'no_images', // blocker: no usable image at all
    'one_class', // blocker: fewer than two classes have images
    'skipped_files',
    'tiny_class',
    'empty_class',
    'imbalance',
    'duplicates_across_classes',
    'duplicates_across_split',
    'small_images',
    'few_images',
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
    /** The existing split's validation folder ("val" or "validation"); null for an automatic split. */
    valFolder: z.string().nullable(),
  }),
  /** Sorted by name (Unicode code point order): index i is the model's output i. */
  classes: z.array(DatasetClass),
  totalImages: z.number().int(),
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

export const Thumbnail = z.object({ mime: z.string(), dataBase64: z.string() });
export type Thumbnail = z.infer<typeof Thumbnail>;

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
  'dataset.thumbnail': call(
    z.object({ root: path, file: path }),
    Thumbnail,
    'A small image of one file inside a dataset folder scanned in this session (file relative to root, as in samples).',
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
};
