import path from 'node:path';
import { leastBusyIdleGpu, type EnvironmentReport, type GpuReading } from '../../../contract';
import type { RunFolder } from '../folder/run-folder';
import { readContainerJson } from '../folder/container-file';

/**
 * Where "Try the model" classifies a folder: on one GPU when the machine has a usable one (the
 * environment check found the NVIDIA toolkit working and listed GPUs, and one of them is idle now),
 * else on the processor; and in which precision.
 *
 *   const device = choosePredictDevice({ report, readings, trainingPrecision });
 *   device.label   // "GPU 1 (NVIDIA H100 80GB HBM3), bf16" | "the processor"
 *
 * Precision: bf16/fp16 autocast only when the run trained, and so validated every epoch and picked its
 * best model, at that precision; fp32 otherwise (a run trained on the processor, an older run, an
 * unknown one). A GPU another program uses is never taken: classifying there could push that
 * program (or a training run) out of memory.
 */

export type PredictPrecision = 'bf16' | 'fp16' | 'fp32';

export type PredictDevice =
  | { kind: 'gpu'; gpuId: string; name: string; precision: PredictPrecision; label: string }
  | { kind: 'cpu'; precision: 'fp32'; label: string; why: string };

export interface PredictMachine {
  /** The latest environment check; null when none could be made. */
  report: Pick<EnvironmentReport, 'gpuReady' | 'gpus'> | null;
  /** Every GPU's latest telemetry reading; null when there is no telemetry (its use is then unknown). */
  readings: readonly GpuReading[] | null;
}

export interface PredictDeviceFacts extends PredictMachine {
  /** The precision the run trained at (resolved-config.json `train.precision`); null when unknown. */
  trainingPrecision: string | null;
}

export const PROCESSOR: PredictDevice = {
  kind: 'cpu',
  precision: 'fp32',
  label: 'the processor',
  why: 'no GPU was offered',
};

const cpu = (why: string): PredictDevice => ({ ...PROCESSOR, why });

/** The decision, from facts only (tested with each case forced). */
export function choosePredictDevice(facts: PredictDeviceFacts): PredictDevice {
  const { report, readings } = facts;
  if (!report) return cpu('the environment could not be checked');
  if (!report.gpuReady) return cpu('containers cannot use a GPU here (see the environment check)');
  const gpus = report.gpus ?? [];
  if (gpus.length === 0) return cpu('no NVIDIA GPU is listed');
  let pick: { index: number; name: string } | null;
  if (readings === null) {
    pick = gpus[0]!; // no telemetry: its use is unknown, the first GPU is as good as any
  } else {
    const listed = readings.filter((r) => gpus.some((g) => g.index === r.index));
    const idle = leastBusyIdleGpu(listed);
    pick = idle ? (gpus.find((g) => g.index === idle.index) ?? null) : null;
    if (!pick) return cpu('every GPU is in use');
  }
  const precision: PredictPrecision =
    facts.trainingPrecision === 'bf16' || facts.trainingPrecision === 'fp16' ? facts.trainingPrecision : 'fp32';
  return {
    kind: 'gpu',
    gpuId: String(pick.index),
    name: pick.name,
    precision,
    label: `GPU ${pick.index} (${pick.name}), ${precision}`,
  };
}

/** The precision the run trained at, from its resolved-config.json (written by a container: read capped, no links). */
export async function readTrainingPrecision(run: RunFolder): Promise<string | null> {
  const file = path.join(run.trainerDir, 'resolved-config.json');
  const config = (await readContainerJson(file, run.trainerDir).catch(() => null)) as {
    train?: { precision?: unknown };
  } | null;
  const precision = config?.train?.precision;
  return typeof precision === 'string' ? precision : null;
}
