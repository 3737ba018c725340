import fs from 'node:fs/promises';
import path from 'node:path';
import { formatDuration, perGpuBatch, roundEstimate, type RunEstimate, type RunSettings } from '../../../contract';
import { expectedImgPerS, expectedMemoryGiB, MIN_SPEED_SIZE_FRACTION, modelFacts } from './model-catalog';

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
 * The fixed cost of one optimizer step on a GPU, whatever its batch: the H100 profile of DeiT-S
 * (docs/benchmarks.md) took 32.4 ms at batch 256 and 62.3 ms at batch 512, i.e. ~2.5 ms + the images.
 * It is what makes small batches slow: a step of 16 images costs far more than 16/256 of one of 256.
 */
export const STEP_FIXED_S = 0.0025;

const count = (n: number) => n.toLocaleString('en-US');
/** A speed at the precision it has (two figures): 17,404 → 17,000; 3,068 → 3,100; 43.6 → 44. */
function roughRate(n: number): string {
  const unit = n >= 10 ? 10 ** (Math.floor(Math.log10(n)) - 1) : 1;
  return count(Math.max(1, Math.round(n / unit) * unit));
}

/** The GPUs a run trains on: the chosen ones, or with none chosen every GPU of the machine (as the trainer). */
function chosenGpus(gpuIds: readonly string[], gpuNames: readonly string[]): Array<string | null> {
  if (gpuIds.length === 0) return gpuNames.length ? [...gpuNames] : [null];
  return gpuIds.map((id) => gpuNames[Number(id)] ?? null);
}

/**
 * Expected duration and GPU memory of a run before it starts. The trainer trains data-parallel on
 * every chosen GPU (docs/trainer.md "Several GPUs"): per-GPU batch by the GPU panel's rule
 * (`perGpuBatch`), global batch = per-GPU × N, ⌈images / global batch⌉ steps an epoch, each costing
 * STEP_FIXED_S + the per-GPU batch at one GPU's speed (the slowest chosen one sets the pace). N GPUs
 * are taken as N times one — ideal scaling, assumed and said so, not measured. Plus evaluation and
 * setup, explained in plain words. Unknown on the CPU (cpu-estimate.ts) or a GPU the table lacks.
 */
export function estimateRun(settings: RunSettings, images: ImageCount, gpuNames: readonly string[]): RunEstimate {
  const facts = modelFacts(settings.modelId);
  if (settings.device === 'cpu') {
    return {
      seconds: null,
      memoryGiB: null,
      explanation:
        'Training on the CPU is very slow (often hours even for a few thousand images), so DeiT Studio does not guess how long it takes.',
    };
  }
  const gpus = chosenGpus(settings.gpuIds, gpuNames);
  const n = gpus.length;
  const batch = perGpuBatch(images.train, n, settings.batchSize);
  const auto = settings.batchSize === 'auto';
  const memoryGiB = expectedMemoryGiB(settings.modelId, batch, settings.imgSize);
  const memoryText = ` It needs about ${memoryGiB} GiB of GPU memory${n > 1 ? ' on each GPU' : ''} at batch size ${batch}.`;
  const speeds = gpus.map((name) => expectedImgPerS(settings.modelId, name, settings.imgSize));
  const unknown = gpus.find((_, i) => speeds[i] === null);
  if (unknown !== undefined) {
    return {
      seconds: null,
      memoryGiB,
      explanation: `DeiT Studio has no speed figures for ${unknown ?? 'this GPU'}, so it cannot estimate the duration yet.${memoryText}`,
    };
  }
  const speed = Math.min(...(speeds as number[]));
  const slowest = gpus[speeds.indexOf(speed)] as string;
  const trainSpeed = settings.freezeBackbone ? speed * 2 : speed;
  const stepS = STEP_FIXED_S + batch / trainSpeed;
  const globalBatch = batch * n;
  const steps = Math.ceil(Math.max(1, images.train) / globalBatch);
  const trainS = settings.epochs * steps * stepS;
  const evalS = (settings.epochs * images.val) / (speed * 3);
  const setupS =
    SETUP_S + (images.train + images.val) / DECODE_IMG_PER_S + (settings.compile === false ? 0 : COMPILE_S);
  const seconds = roundEstimate(trainS + evalS + setupS);
  const runSpeed = globalBatch / stepS;
  const sameGpus = gpus.every((g) => g === slowest);
  const where =
    n === 1 ? slowest : sameGpus ? `${n} × ${slowest}` : `${n} GPUs (the slowest, ${slowest}, sets the pace)`;
  const batchText =
    n === 1
      ? `batches of ${auto ? 'up to ' : ''}${batch}`
      : `steps of ${n} GPUs × ${auto ? 'up to ' : ''}${batch} = ${count(globalBatch)} images`;
  const minSize = Math.round(facts.imgSize * MIN_SPEED_SIZE_FRACTION);
  return {
    seconds,
    memoryGiB,
    explanation:
      `About ${formatDuration(seconds)}: ${count(images.train)} training images × ${settings.epochs} epochs in ` +
      `${batchText} (${count(steps)} steps per epoch) at about ${roughRate(runSpeed)} images/s for ${facts.title} at ` +
      `${settings.imgSize} px on ${where}, plus checking ${count(images.val)} validation images each epoch and ` +
      `about ${formatDuration(roundEstimate(setupS))} to start (load the model, read the images once` +
      `${settings.compile === false ? '' : ', compile'}).` +
      (n > 1
        ? ` ${n} GPUs are counted as ${n} times one: ideal scaling, assumed, not measured — expect somewhat less, as the GPUs exchange gradients every step.`
        : '') +
      (settings.imgSize < minSize
        ? ` Images under ${minSize} px are counted as fast as ${minSize} px ones: small images are bound by each step's fixed costs, not by pixels.`
        : '') +
      memoryText,
  };
}
