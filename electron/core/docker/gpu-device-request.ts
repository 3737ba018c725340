import type Dockerode from 'dockerode';

/**
 * The GPU request every training container (and the doctor's probe) makes: `--gpus all`, or
 * `--gpus '"device=0,1"'` for chosen GPUs. Docker takes Count or DeviceIDs, never both.
 */
export function gpuDeviceRequests(gpuIds: readonly string[] = []): Dockerode.DeviceRequest[] {
  if (gpuIds.length === 0) return [{ Driver: '', Count: -1, Capabilities: [['gpu']] }];
  return [{ Driver: '', DeviceIDs: [...gpuIds], Capabilities: [['gpu']] }];
}

/** The CUDA version of the training image: containers declare it so an old driver fails at start, clearly. */
export const TRAINING_CUDA_REQUIREMENT = 'cuda>=12.4';
