import type { GpuSample, RunSettings } from '../../../contract';

/** The part of a telemetry sample that belongs to a run: its GPUs only (all of them when `gpuIds` is empty). */
export function runGpuSample(sample: GpuSample, settings: Pick<RunSettings, 'gpuIds'>): GpuSample {
  const { gpuIds } = settings;
  const gpus = gpuIds.length ? sample.gpus.filter((gpu) => gpuIds.includes(String(gpu.index))) : sample.gpus;
  return { time: sample.time, gpus };
}
