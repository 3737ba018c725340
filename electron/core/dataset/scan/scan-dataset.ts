import fs from 'node:fs/promises';
import { AppError, type DatasetScan } from '../../../contract';
import { forEachBounded } from './bounded-pool';
import { ClassTally, EXAMPLES } from './class-tally';
import { datasetWarnings } from './dataset-warnings';
import { detectLayout, type DatasetLayout } from './detect-layout';
import { DuplicateIndex, findDuplicates } from './find-duplicates';
import { inspectImageFile, type ImageRecord } from './inspect-image-file';
import { listDatasetFiles } from './list-dataset-files';
import { nestedFolders } from './nested-folders';
import { createThrottle } from './progress-throttle';
import { notAFolderError, rootError, throwIfCancelled } from './scan-errors';
import { SkipLog } from './skip-log';
import { APP_SPLIT_SEED, SLIDER_RATIOS, splitDraw, valCount } from './split-rule';

/** How far a scan has got (the `dataset.progress` payload without the root). */
export interface ScanProgress {
  filesSeen: number;
  filesRead: number;
  filesTotal: number | null;
  phase: 'listing' | 'reading' | 'done';
}

/** How to scan; only `valRatio` is needed. */
export interface ScanOptions {
  /** Share of each class the automatic split puts in validation (class-folders layout). */
  valRatio: number;
  /** Fires to cancel; the scan then throws a typed "cancelled" error. */
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  /** File-system operations in flight at once. */
  concurrency?: number;
  /** Least time between two progress reports. */
  progressIntervalMs?: number;
  /** Receives the usable images and the class names their classIndex points into (the near-duplicate check keeps them). */
  onImages?: (images: ImageRecord[], classNames: string[]) => void;
}

/** File-system operations in flight: enough to keep a disk and libuv's 4 threads busy, few enough to share them. */
export const SCAN_CONCURRENCY = 16;

/**
 * Scans a dataset folder without writing anything: layout, classes, image counts and split, a few
 * preview paths per class, every left-out file with its reason, duplicates and warnings. Reads only
 * folder listings, image headers and tails (and whole files only to confirm likely duplicates).
 * `root` must be an absolute path.
 */
export async function scanDataset(root: string, options: ScanOptions): Promise<DatasetScan> {
  const started = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const concurrency = options.concurrency ?? SCAN_CONCURRENCY;
  const state: ScanProgress = { filesSeen: 0, filesRead: 0, filesTotal: null, phase: 'listing' };
  const progress = createThrottle(options.progressIntervalMs ?? 100, () => options.onProgress?.({ ...state }));
  progress.force();

  const stat = await fs.stat(root).catch((error: unknown) => Promise.reject(rootError(root, error)));
  if (!stat.isDirectory()) throw notAFolderError(root);
  const realRoot = await fs.realpath(root).catch((error: unknown) => Promise.reject(rootError(root, error)));
  const skips = new SkipLog();
  const layout = await detectLayout(root, skips, signal).catch((error: unknown) =>
    Promise.reject(error instanceof AppError ? error : rootError(root, error)),
  );
  if (layout.classNames.length === 0) throw noClassFolders(root, layout);

  const onEntry = () => {
    state.filesSeen += 1;
    progress.tick();
  };
  const candidates = await listDatasetFiles(layout.folders, { realRoot, skips, signal, concurrency, onEntry });
  state.filesTotal = candidates.length;
  state.phase = 'reading';
  progress.force();

  const images: ImageRecord[] = [];
  const tally = new ClassTally(layout.classNames.length);
  // Class-folders: each image's split draw, as the trainer draws it (the split the scan shows is the trainer's)
  const draws = layout.classNames.map((): number[] => []);
  const index = new DuplicateIndex();
  await forEachBounded(candidates.length, concurrency, async (i) => {
    throwIfCancelled(signal);
    const candidate = candidates[i]!;
    const result = await inspectImageFile(candidate);
    state.filesRead += 1;
    if (result.ok) {
      index.add(images.length, result.image);
      images.push(result.image);
      tally.add(result.image);
      if (result.image.part === null) {
        const className = layout.classNames[result.image.classIndex]!;
        draws[result.image.classIndex]!.push(
          splitDraw(APP_SPLIT_SEED, className, result.image.path.slice(className.length + 1)),
        );
      }
    } else skips.add(candidate.path, result.code, result.reason);
    progress.tick();
  });
  const duplicates = await findDuplicates(images, index, { layout: layout.layout, signal, concurrency });
  throwIfCancelled(signal);

  // As in the trainer, a class folder without usable images is not a class: the model gets no output for it.
  const emptyClasses = layout.classNames.filter((_, i) => tally.all[i] === 0);
  for (const name of emptyClasses) {
    const folder = layout.trainFolder ? `${layout.trainFolder}/${name}/` : `${name}/`;
    skips.add(folder, 'empty_class', 'class folder without usable images (not used as a class)');
  }
  const classes = layout.classNames.flatMap((name, i) => {
    if (tally.all[i] === 0) return [];
    const val = valCount(draws[i]!, options.valRatio);
    const counts =
      layout.layout === 'split'
        ? { train: tally.train[i]!, val: tally.val[i]! }
        : { train: tally.all[i]! - val, val, valByRatio: SLIDER_RATIOS.map((r) => valCount(draws[i]!, r)) };
    return [{ name, ...counts, ...(layout.testFolder ? { test: tally.test[i]! } : {}), samples: tally.samplesOf(i) }];
  });
  const summary = skips.summary();
  const warnings = datasetWarnings({
    layout: layout.layout,
    trainFolder: layout.trainFolder,
    valFolder: layout.valFolder,
    classes,
    emptyClasses,
    unknownValClasses: layout.unknownValClasses,
    skipped: { ...skips.notable(EXAMPLES), total: summary.skippedTotal, byCode: summary.skippedByCode },
    smallImages: { count: tally.smallCount, examples: tally.smallExamples() },
    duplicates,
    nested: nestedFolders(images, layout.classNames),
  });
  state.phase = 'done';
  progress.force();
  options.onImages?.(images, layout.classNames);
  return {
    root,
    layout: layout.layout,
    split:
      layout.layout === 'split'
        ? { kind: 'existing', valRatio: null, trainFolder: layout.trainFolder, valFolder: layout.valFolder }
        : { kind: 'auto', valRatio: options.valRatio, trainFolder: null, valFolder: null },
    classes,
    totalImages: images.length,
    ...(images.length > 0 ? { typicalSize: typicalSize(images) } : {}),
    ...summary,
    warnings,
    canTrain: !warnings.some((w) => w.severity === 'blocker'),
    durationMs: Math.round(performance.now() - started),
  };
}

/** The median width and height of the images (the upper middle of an even count). */
export function typicalSize(images: ReadonlyArray<{ width: number; height: number }>): {
  width: number;
  height: number;
} {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { width: median(images.map((i) => i.width)), height: median(images.map((i) => i.height)) };
}

function noClassFolders(root: string, layout: DatasetLayout): AppError {
  const fix =
    'Put the images of each class in their own sub-folder (for example cats/ and dogs/), or choose the folder that holds the class folders, then scan again.';
  if (layout.trainFolder) {
    return new AppError('dataset_invalid', `${layout.trainFolder}/ in ${root} has no class folders.`, { fix });
  }
  if (layout.loose > 0) {
    const k = layout.loose.toLocaleString('en-US');
    return new AppError(
      'dataset_invalid',
      `${root} holds ${k} ${layout.loose === 1 ? 'image' : 'images'} but no class folders.`,
      { fix },
    );
  }
  return new AppError('dataset_invalid', `${root} has no class folders (no sub-folders with images).`, { fix });
}
