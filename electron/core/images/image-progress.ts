import type { ImageProgress } from '../../contract';
import type { PullSnapshot } from './aggregate-pull-progress';
import { formatBytes } from './format-bytes';
import type { BuildEvent } from './parse-build-event';

/** A progress event without counts (checking, done, cancelled, error). */
export function progress(phase: ImageProgress['phase'], message: string): ImageProgress {
  return {
    phase,
    layersDone: 0,
    layersTotal: 0,
    bytesDone: 0,
    bytesTotal: null,
    speedBytesPerS: null,
    etaS: null,
    message,
  };
}

/** The pull's totals as a progress event with a sentence for people. */
export function describePullProgress(snapshot: PullSnapshot): ImageProgress {
  const { layersDone, layersTotal, bytesDone, bytesTotal } = snapshot;
  const bytes =
    bytesTotal === null ? formatBytes(bytesDone) : `${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}`;
  const message =
    layersTotal === 0
      ? 'Starting the download of the PyTorch base image…'
      : snapshot.unpacking
        ? `Unpacking the PyTorch base image (${layersDone} of ${layersTotal} parts done)…`
        : `Downloading the PyTorch base image: ${bytes} (${layersDone} of ${layersTotal} parts done).`;
  return {
    phase: 'pulling',
    layersDone,
    layersTotal,
    bytesDone,
    bytesTotal,
    speedBytesPerS: snapshot.speedBytesPerS === null ? null : Math.round(snapshot.speedBytesPerS),
    etaS: snapshot.etaS,
    message,
  };
}

/** A build step as a progress event: steps count as the "layers" of the build phase. */
export function describeBuildProgress(step: Extract<BuildEvent, { kind: 'step' }>): ImageProgress {
  const instruction = step.instruction.length > 80 ? `${step.instruction.slice(0, 77)}…` : step.instruction;
  return {
    ...progress('building', `Building the training image: step ${step.step} of ${step.steps} (${instruction}).`),
    layersDone: step.step - 1,
    layersTotal: step.steps,
  };
}
