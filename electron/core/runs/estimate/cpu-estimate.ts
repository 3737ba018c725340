import {
  BATCH_RULE,
  chooseBatch,
  formatDuration,
  roundEstimate,
  type RunEstimate,
  type RunSettings,
} from '../../../contract';
import { BUSY_KEEP_MS, type CpuSpeed } from './cpu-speed-probe';
import { modelFacts } from './model-catalog';
import type { ImageCount } from './run-estimate';

/**
 * The estimate before a run on the processor: images × epochs ÷ the speed measured on this machine
 * by a probe of a few training steps (cpu-speed-probe.ts), plus evaluation, start and finish.
 * Labelled an estimate: the real time moves with whatever else the computer does.
 *
 *   estimateCpuRun(settings, { train: 1437, val: 360 }, { trainImgPerS: 95, evalImgPerS: 300, cores: 2 })
 */

/** Container start, model creation, the dataset scan and reading every image into the cache once. */
const CPU_START_S = 20;
const DECODE_IMG_PER_S = 800;
/** After the last epoch: the final evaluation's artifacts, ONNX and TorchScript exports, the report. */
const CPU_FINISH_S = 30;

const BUSY_KEEP_S = BUSY_KEEP_MS / 1000;

/** The batch a CPU run will train with: the trainer's automatic rule on the processor, or the one set. */
export function cpuBatch(settings: Pick<RunSettings, 'batchSize'>, nTrain: number): number {
  if (nTrain < 1) return BATCH_RULE.cpuBatch;
  if (settings.batchSize === 'auto') return chooseBatch(nTrain, BATCH_RULE.cpuBatch, 'cpu').batchSize;
  return Math.min(settings.batchSize, nTrain);
}

const count = (n: number) => n.toLocaleString('en-US');

function rate(imgPerS: number): string {
  if (imgPerS >= 10) return count(Math.round(imgPerS));
  return imgPerS >= 1 ? imgPerS.toFixed(1) : imgPerS.toPrecision(1);
}

/**
 * `speed` null: no measurement (`why` says why), so no figure — but still the plain warning that
 * the processor is slow.
 */
export function estimateCpuRun(
  settings: RunSettings,
  images: ImageCount,
  speed: CpuSpeed | null,
  why: string | null = null,
  askAgain = false,
): RunEstimate {
  const facts = modelFacts(settings.modelId);
  if (!speed) {
    return {
      seconds: null,
      memoryGiB: null,
      // A probe that ran out of time on a busy machine is tried again: the renderer asks once more.
      ...(askAgain ? { askAgainInS: BUSY_KEEP_S } : {}),
      explanation:
        `DeiT Studio could not time ${facts.title} on this processor${askAgain ? ' yet' : ''}${why ? `: ${why}` : ''}. ` +
        (askAgain ? 'It times it again in a minute and then shows an estimate. ' : '') +
        'Training on the processor is slow: choose DeiT-Ti, a small image size and few epochs for a first run.',
    };
  }
  // Frozen backbone: no backward pass through it, about twice as fast (as on a GPU).
  const trainSpeed = settings.freezeBackbone ? speed.trainImgPerS * 2 : speed.trainImgPerS;
  const trainS = (settings.epochs * images.train) / trainSpeed;
  // Validation each epoch, and once more at the end for the final evaluation.
  const evalS = ((settings.epochs + 1) * images.val) / speed.evalImgPerS;
  const overheadS = CPU_START_S + (images.train + images.val) / DECODE_IMG_PER_S + CPU_FINISH_S;
  const seconds = roundEstimate(trainS + evalS + overheadS);
  const cores = speed.cores ? ` with ${speed.cores} ${speed.cores === 1 ? 'core' : 'cores'}` : '';
  return {
    seconds,
    memoryGiB: null,
    ...(speed.busy ? { askAgainInS: BUSY_KEEP_S } : {}),
    explanation:
      `Estimated from timing a few training steps of ${facts.title} at ` +
      `${settings.imgSize} px on this processor (about ${rate(speed.trainImgPerS)} images/s${cores}): ` +
      `${count(images.train)} training images × ${settings.epochs} epochs, plus checking ${count(images.val)} ` +
      `validation images each epoch and about ${formatDuration(roundEstimate(overheadS))} to start and finish ` +
      '(load the model, read the images once, the final evaluation and exports). ' +
      (speed.busy
        ? 'The processor was busy with other work while it was timed, so training may well be faster than this; ' +
          'DeiT Studio times it again in a minute.'
        : 'It takes longer while the computer does other work.'),
  };
}
