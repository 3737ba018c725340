import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunEstimate, RunSettings } from '../../../contract';
import { expectedImgPerS, expectedMemoryGiB, modelFacts } from './model-catalog';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.gif', '.webp', '.tif', '.tiff']);
/** Counting stops here: an estimate needs the order of magnitude, not every file of a huge folder. */
const COUNT_LIMIT = 2_000_000;

/** How many images a dataset folder holds for training and validation (split folders or a ratio). */
export interface ImageCount {
  train: number;
  val: number;
}

/** Counts the image files under a dataset folder, by extension (no file is opened). */
export async function countDatasetImages(root: string, valRatio: number): Promise<ImageCount> {
  const train = await countImages(path.join(root, 'train'));
  if (train > 0) {
    const val = (await countImages(path.join(root, 'val'))) + (await countImages(path.join(root, 'validation')));
    return { train, val };
  }
  const total = await countImages(root);
  const val = Math.round(total * valRatio);
  return { train: total - val, val };
}

async function countImages(folder: string): Promise<number> {
  let count = 0;
  const pending = [folder];
  while (pending.length && count < COUNT_LIMIT) {
    const dir = pending.pop() as string;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) pending.push(path.join(dir, entry.name));
      else if (IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) count += 1;
    }
  }
  return count;
}

/** Seconds before the first step: container start, model load, dataset scan; compile on a GPU. */
const SETUP_S = 30;
const COMPILE_S = 60;
/** Decoding images into the cache the first time (a PIL data loader on a few CPU cores). */
const DECODE_IMG_PER_S = 800;

/**
 * Expected duration and GPU memory of a run before it starts: images × epochs ÷ the expected speed
 * on the chosen GPUs, plus evaluation and setup, explained in plain words. Unknown when training on
 * the CPU or on a GPU the speed table does not know.
 */
export function estimateRun(settings: RunSettings, images: ImageCount, gpuNames: readonly string[]): RunEstimate {
  const facts = modelFacts(settings.modelId);
  const batch = settings.batchSize === 'auto' ? 64 : settings.batchSize;
  const memoryGiB = settings.device === 'cpu' ? null : expectedMemoryGiB(settings.modelId, batch, settings.imgSize);
  const memoryText = memoryGiB === null ? '' : ` It needs about ${memoryGiB} GiB of GPU memory at batch size ${batch}.`;
  if (settings.device === 'cpu') {
    return {
      seconds: null,
      memoryGiB,
      explanation:
        'Training on the CPU is very slow (often hours even for a few thousand images), so DeiT Studio does not guess how long it takes.',
    };
  }
  // The trainer trains on one GPU: the first chosen one, or GPU 0.
  const gpuName = gpuNames[Number(settings.gpuIds[0] ?? 0)] ?? null;
  const speed = expectedImgPerS(settings.modelId, gpuName, settings.imgSize);
  if (speed === null) {
    const which = gpuName ?? 'this GPU';
    return {
      seconds: null,
      memoryGiB,
      explanation: `DeiT Studio has no speed figures for ${which}, so it cannot estimate the duration yet.${memoryText}`,
    };
  }
  const trainSpeed = settings.freezeBackbone ? speed * 2 : speed;
  const trainS = (settings.epochs * images.train) / trainSpeed;
  const evalS = (settings.epochs * images.val) / (speed * 3);
  const setupS =
    SETUP_S + (images.train + images.val) / DECODE_IMG_PER_S + (settings.compile === false ? 0 : COMPILE_S);
  const seconds = Math.round(trainS + evalS + setupS);
  return {
    seconds,
    memoryGiB,
    explanation:
      `About ${formatDuration(seconds)}: ${images.train.toLocaleString('en-US')} training images × ${settings.epochs} epochs ` +
      `at about ${speed.toLocaleString('en-US')} images/s for ${facts.title} on ${gpuName}, plus checking ` +
      `${images.val.toLocaleString('en-US')} validation images each epoch and about ${formatDuration(Math.round(setupS))} ` +
      `to start (load the model, read the images once${settings.compile === false ? '' : ', compile'}).${memoryText}`,
  };
}

/** "45 seconds", "12 minutes", "2.5 hours". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} seconds`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round((seconds / 3600) * 10) / 10} hours`;
}
