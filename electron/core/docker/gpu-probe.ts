import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { PIDS_LIMIT } from './container-spec';
import { classifyDockerError, type ClassifiedDockerError } from './classify-docker-error';
import { gpuDeviceRequests, TRAINING_CUDA_REQUIREMENT } from './gpu-device-request';
import { readJsonLines, streamEventError } from './json-lines';
import { tarArchive } from './tar-archive';

/** The probe runs a program that does not exist: reaching the exec step proves the GPU was handed over. */
export const PROBE_EXEC = '/deit-studio-gpu-probe';

/** Where the probe ran and what it proved. */
export type GpuProbeResult = { ok: true } | { ok: false; failure: ClassifiedDockerError };

/** What the probe uses; tests prefix the names to keep off other users of the same engine. */
export interface GpuProbeOptions {
  docker: Dockerode;
  /** The tiny image imported for the probe (no registry needed). */
  probeImage?: string;
  /** Container name prefix. */
  namePrefix?: string;
  /** The GPU request; defaults to the one training containers make. null asks for no GPU (tests the success path). */
  deviceRequests?: Dockerode.DeviceRequest[] | null;
  timeoutMs?: number;
}

/** The probe image's default name. */
export const DEFAULT_PROBE_IMAGE = 'deit-studio/gpu-probe:1';

/** Imports the tiny probe image unless it exists: one folder and one marker file, about 2 KB. */
export async function ensureProbeImage(docker: Dockerode, image: string): Promise<void> {
  try {
    await docker.getImage(image).inspect();
    return;
  } catch {
    // missing: import it below
  }
  const [repo, tag = 'latest'] = image.split(/:(?=[^/:]+$)/);
  const tar = await tarArchive([{ name: 'etc/' }, { name: 'etc/deit-studio-probe', content: 'GPU probe of DeiT Studio\n' }]);
  const stream = (await docker.importImage(Readable.from([tar]), {
    repo,
    tag,
    changes: ['LABEL deit-studio.role=gpu-probe'],
  })) as NodeJS.ReadableStream;
  let failure: string | null = null;
  await readJsonLines(stream as AsyncIterable<Uint8Array>, (line) => {
    failure ??= line.ok ? streamEventError(line.value) : null;
  });
  if (failure) throw Object.assign(new Error(failure), { json: { message: failure } });
}

/**
 * Starts a short container with the same GPU request as training (DeviceRequests, and the CUDA 12.4
 * requirement the NVIDIA runtime checks) and classifies what the engine says. This is proof, where
 * `docker info`'s runtimes are only a hint. The container is always removed.
 */
export async function probeGpuContainer(options: GpuProbeOptions): Promise<GpuProbeResult> {
  const { docker } = options;
  const image = options.probeImage ?? DEFAULT_PROBE_IMAGE;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  let container: Dockerode.Container | null = null;
  try {
    await ensureProbeImage(docker, image);
    const requests = options.deviceRequests === undefined ? gpuDeviceRequests() : options.deviceRequests;
    container = await docker.createContainer({
      Image: image,
      name: `${options.namePrefix ?? 'deit-studio-gpu-probe'}-${randomBytes(4).toString('hex')}`,
      Cmd: [PROBE_EXEC],
      Env: [`NVIDIA_REQUIRE_CUDA=${TRAINING_CUDA_REQUIREMENT}`, 'NVIDIA_DRIVER_CAPABILITIES=compute,utility'],
      Labels: { 'deit-studio.role': 'gpu-probe' },
      NetworkDisabled: true,
      HostConfig: { NetworkMode: 'none', PidsLimit: PIDS_LIMIT, ...(requests ? { DeviceRequests: requests } : {}) },
      abortSignal: signal,
    } as Dockerode.ContainerCreateOptions);
    await container.start({ abortSignal: signal });
    return { ok: true }; // only reached if an image with that program exists: the GPU was handed over too
  } catch (error) {
    const failure = classifyDockerError(error);
    if (signal.aborted) return { ok: false, failure: { problem: 'daemon_unresponsive', text: 'The GPU probe container did not start in time.' } };
    // "exec: /deit-studio-gpu-probe: no such file": devices and hooks were set up; only our fake program is missing.
    if (failure.text.includes(PROBE_EXEC)) return { ok: true };
    return { ok: false, failure };
  } finally {
    await container?.remove({ force: true }).catch(() => undefined);
  }
}
