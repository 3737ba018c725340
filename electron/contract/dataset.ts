import { z } from 'zod';
import { call, event } from './define';

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
    'skipped_files',
    'tiny_class',
    'empty_class',
    'imbalance',
    'duplicates_across_classes',
    'duplicates_across_split',
    'small_images',
    'few_images',
  ]),
  message: z.string(),
  /** What the user can do about it. */
  fix: z.string().optional(),
  /** Up to a few affected paths (relative to the root). */
  examples: z.array(z.string()).default([]),
});
export type DatasetWarning = z.infer<typeof DatasetWarning>;

/** What a scan of a dataset folder found. The folder is only read, never written. */
export const DatasetScan = z.object({
  root: z.string(),
  layout: z.enum(['split', 'class-folders']),
  split: z.object({ kind: z.enum(['existing', 'auto']), valRatio: z.number().nullable() }),
  classes: z.array(DatasetClass),
  totalImages: z.number().int(),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  warnings: z.array(DatasetWarning),
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
    'Scans a dataset folder: classes, counts, split, skipped files and warnings (progress as dataset.progress).',
  ),
  'dataset.thumbnail': call(
    z.object({ root: path, file: path }),
    Thumbnail,
    'A small image of one file inside a scanned dataset folder.',
  ),
};

export const datasetEvents = {
  'dataset.progress': event(
    z.object({ root: z.string(), filesSeen: z.number().int(), phase: z.enum(['listing', 'reading', 'done']) }),
    'Progress of a dataset scan.',
  ),
};
