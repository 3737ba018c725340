import type { EpochPoint, GpuSample, StepPoint } from '@contract';
import { LiveSeries } from '../charts/series';

/** The live series of one GPU. */
export interface GpuSeries {
  index: number;
  name: string;
  utilizationPct: LiveSeries;
  memoryGiB: LiveSeries;
  temperatureC: LiveSeries;
  powerW: LiveSeries;
  memoryTotalGiB: number | null;
  powerLimitW: number | null;
}

const MIB_PER_GIB = 1024;

/**
 * Every series a run's charts draw, kept outside React: step metrics by global step, epoch metrics
 * by epoch, GPU readings by time. Filled from the snapshot, then from live events.
 */
export class RunChartData {
  readonly stepLoss = new LiveSeries();
  readonly stepLr = new LiveSeries();
  readonly stepImgPerS = new LiveSeries();
  readonly epochTrainLoss = new LiveSeries();
  readonly epochValLoss = new LiveSeries();
  /** Validation accuracy in percent. */
  readonly epochTop1 = new LiveSeries();
  readonly epochTop5 = new LiveSeries();
  /** Training accuracy in percent (on the augmented images, while the model trained). */
  readonly epochTrainTop1 = new LiveSeries();
  readonly gpus = new Map<number, GpuSeries>();
  /** Bumped whenever the matching charts must redraw. */
  stepsVersion = 0;
  epochsVersion = 0;
  gpuVersion = 0;
  private lastGpuTime = -Infinity;
  private lastEpoch = -Infinity;

  /** Forgets every point (before a snapshot is loaded again). */
  clear(): void {
    for (const s of [this.stepLoss, this.stepLr, this.stepImgPerS]) s.clear();
    for (const s of [this.epochTrainLoss, this.epochValLoss, this.epochTop1, this.epochTop5, this.epochTrainTop1]) {
      s.clear();
    }
    this.gpus.clear();
    this.lastGpuTime = -Infinity;
    this.lastEpoch = -Infinity;
    this.stepsVersion += 1;
    this.epochsVersion += 1;
    this.gpuVersion += 1;
  }

  /**
   * Goes back to where a new attempt starts (its run_started): the steps after `globalStep` and the
   * epochs from `startEpoch` on are trained again, so their points go (the attempt sends them anew).
   */
  rewind(globalStep: number, startEpoch: number): void {
    let steps = false;
    for (const s of [this.stepLoss, this.stepLr, this.stepImgPerS]) steps = s.dropBeyond(globalStep) || steps;
    let epochs = false;
    for (const s of [this.epochTrainLoss, this.epochValLoss, this.epochTop1, this.epochTop5, this.epochTrainTop1]) {
      epochs = s.dropBeyond(startEpoch - 1) || epochs;
    }
    this.lastEpoch = Math.min(this.lastEpoch, startEpoch - 1);
    if (steps) this.stepsVersion += 1;
    if (epochs) this.epochsVersion += 1;
  }

  /** Adds one logged training step. */
  addStep(point: Pick<StepPoint, 'globalStep' | 'loss' | 'lr' | 'imgPerS'>): void {
    this.stepLoss.push(point.globalStep, point.loss);
    this.stepLr.push(point.globalStep, point.lr);
    this.stepImgPerS.push(point.globalStep, point.imgPerS);
    this.stepsVersion += 1;
  }

  /** Adds one evaluated epoch; an epoch already drawn (a repeated event) is ignored. */
  addEpoch(point: Pick<EpochPoint, 'epoch' | 'trainLoss' | 'trainTop1' | 'valLoss' | 'valTop1' | 'valTop5'>): boolean {
    if (point.epoch <= this.lastEpoch) return false;
    this.lastEpoch = point.epoch;
    this.epochTrainLoss.push(point.epoch, point.trainLoss);
    this.epochValLoss.push(point.epoch, point.valLoss);
    this.epochTop1.push(point.epoch, point.valTop1 === null ? null : point.valTop1 * 100);
    this.epochTop5.push(point.epoch, point.valTop5 === null ? null : point.valTop5 * 100);
    this.epochTrainTop1.push(point.epoch, point.trainTop1 === null ? null : point.trainTop1 * 100);
    this.epochsVersion += 1;
    return true;
  }

  /** Adds a GPU sample newer than the last one; returns false for a sample already drawn. */
  addGpuSample(sample: GpuSample): boolean {
    if (!(sample.time > this.lastGpuTime)) return false;
    this.lastGpuTime = sample.time;
    for (const reading of sample.gpus) {
      let gpu = this.gpus.get(reading.index);
      if (!gpu) {
        gpu = {
          index: reading.index,
          name: reading.name,
          utilizationPct: new LiveSeries(),
          memoryGiB: new LiveSeries(),
          temperatureC: new LiveSeries(),
          powerW: new LiveSeries(),
          memoryTotalGiB: null,
          powerLimitW: null,
        };
        this.gpus.set(reading.index, gpu);
      }
      gpu.utilizationPct.push(sample.time, reading.utilizationPct);
      gpu.memoryGiB.push(sample.time, reading.memoryUsedMiB === null ? null : reading.memoryUsedMiB / MIB_PER_GIB);
      gpu.temperatureC.push(sample.time, reading.temperatureC);
      gpu.powerW.push(sample.time, reading.powerW);
      if (reading.memoryTotalMiB !== null) gpu.memoryTotalGiB = reading.memoryTotalMiB / MIB_PER_GIB;
      if (reading.powerLimitW !== null) gpu.powerLimitW = reading.powerLimitW;
    }
    this.gpuVersion += 1;
    return true;
  }
}
