import type { EnvironmentCheck, EnvironmentReport } from '../../contract';
import type { ConnectedDocker } from '../docker/connect';
import type { FixContext } from '../docker/docker-problem-fixes';
import type { GpuProbeResult } from '../docker/gpu-probe';
import { formatBytes } from '../images/format-bytes';
import type { ImageDiskNeed } from '../images/image-service';
import { checkDocker } from './checks/check-docker';
import { checkGpuContainer } from './checks/check-gpu-container';
import { checkDisk, MEMORY_WARNING_BYTES } from './checks/check-resources';
import type { DoctorDeps, EngineView } from './environment-doctor';

/**
 * The doctor on a server's Docker Engine (reached over SSH): what the engine says replaces what this
 * computer would say. Docker version from the server; GPUs by the same probe container as locally;
 * runtimes from `docker info`; free disk where the server's Docker keeps images and volumes (df over
 * SSH); memory as the engine reports it. This computer's nvidia-smi and disk are not looked at.
 *
 *   const report = await checkRemoteEngine(deps, { id: 'ssh-…', kind: 'ssh', label: 'ada@gpu1' });
 */

/** Servers run Linux; fixes are worded for a Linux server (its distribution is not known here). */
const SERVER: FixContext['host'] = { os: 'linux', distroId: null, distroLike: [], wsl: false };

function memoryCheck(bytes: number | null, label: string): EnvironmentCheck {
  const base = { id: 'memory' as const, title: 'Memory' };
  if (bytes === null) return { ...base, status: 'skipped', message: `${label} did not report its memory.` };
  const size = `${Math.round(bytes / 1024 ** 3)} GB`;
  if (bytes < MEMORY_WARNING_BYTES) {
    return {
      ...base,
      status: 'warning',
      message: `The server has ${size} of memory; training works best with 16 GB or more. Smaller batches and fewer loader workers help.`,
    };
  }
  return { ...base, status: 'ok', message: `${size} of memory on the server.` };
}

/** Free bytes where the server's Docker keeps its data, or why they could not be read. */
type ServerFree = { bytes: number } | { bytes: null; reason: string };

async function serverFree(deps: DoctorDeps, docker: ConnectedDocker | null, root: string | null): Promise<ServerFree> {
  if (!docker) return { bytes: null, reason: 'its Docker Engine does not answer (see Docker above)' };
  if (!root || !deps.serverFreeBytes)
    return { bytes: null, reason: 'its Docker Engine did not say where it keeps its data' };
  return deps.serverFreeBytes(root).then(
    (bytes): ServerFree => (bytes === null ? { bytes: null, reason: `df ${root} gave no answer` } : { bytes }),
    (error: unknown): ServerFree => ({ bytes: null, reason: error instanceof Error ? error.message : String(error) }),
  );
}

/** The disk check of a server: the free space where its Docker keeps images and volumes, said with the folder. */
function serverDiskCheck(
  image: ImageDiskNeed | null,
  free: ServerFree,
  root: string | null,
  label: string,
): EnvironmentCheck {
  if (free.bytes === null) {
    // Never "OK" on a guess: runs and the image fill that disk.
    return {
      id: 'disk',
      title: 'Free disk space',
      status: 'warning',
      message: `Could not read the free space on ${label}: ${free.reason.replace(/\.$/, '')}.`,
      fix: {
        text: `Check it on the server yourself${root ? '' : ' (the folder `docker info` names as Docker Root Dir)'}: ${
          image && !image.imageReady
            ? `the training image needs about ${formatBytes(image.bytesNeeded)} there, and `
            : ''
        }each run keeps checkpoints there (up to a few GB).`,
        ...(root ? { command: `df -h ${root}` } : {}),
      },
    };
  }
  const disk = checkDisk(image, { dir: `${root} on ${label}`, freeBytes: free.bytes });
  if (disk.status === 'ok') {
    disk.message = `${formatBytes(free.bytes)} is free on ${label} in ${root}, where its Docker keeps images and run volumes.`;
  }
  return disk;
}

export async function checkRemoteEngine(deps: DoctorDeps, engine: EngineView): Promise<EnvironmentReport> {
  const connected = await deps.findDocker().catch((error: unknown) => error);
  const dockerCheck = checkDocker(connected);
  const docker = dockerCheck.status === 'ok' ? (connected as ConnectedDocker) : null;
  const ctx: FixContext = { host: SERVER, flavor: docker?.flavor ?? 'unknown' };
  const probe: GpuProbeResult | 'no-docker' = docker ? await deps.probe(docker) : 'no-docker';
  const gpuCheck = checkGpuContainer(probe, ctx);
  const root = docker?.engine.dockerRootDir ?? null;
  const [imageNeed, free] = await Promise.all([
    docker ? deps.imageDiskNeed().catch(() => null) : Promise.resolve(null),
    serverFree(deps, docker, root),
  ]);
  const disk = serverDiskCheck(imageNeed, free, root, engine.label);
  const driverCheck: EnvironmentCheck = {
    id: 'driver',
    title: 'NVIDIA driver',
    status: 'skipped',
    message: `The server's driver is checked through Docker (GPU access below); this computer's driver is not used.`,
  };
  const checks = [
    driverCheck,
    dockerCheck,
    gpuCheck,
    disk,
    memoryCheck(docker?.engine.memTotalBytes ?? null, engine.label),
  ];
  return {
    checkedAt: deps.now().toISOString(),
    checks,
    engine,
    gpuReady: gpuCheck.status === 'ok' || gpuCheck.status === 'warning',
    cpuFallback: dockerCheck.status === 'ok' && gpuCheck.status !== 'ok',
  };
}
