import type { EnvironmentCheck } from '../../../contract';
import type { ImageDiskNeed } from '../../images/image-service';
import { formatBytes } from '../../images/format-bytes';

/** Below this, runs (checkpoints, exports, caches) will soon fill the disk. */
export const RUNS_DISK_WARNING_BYTES = 10e9;
/** Below this, data loading and augmentation in containers get tight. */
export const MEMORY_WARNING_BYTES = 8 * 1024 ** 3;

/** Memory sizes the way computers are sold: "16 GB" for 16 GiB. */
function formatMemory(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 3)} GB`;
}

/** Free space for the image (where Docker keeps images) and for runs (the data folder). */
export function checkDisk(
  image: ImageDiskNeed | null,
  data: { dir: string; freeBytes: number | null },
): EnvironmentCheck {
  const base = { id: 'disk' as const, title: 'Free disk space' };
  const dataFree = data.freeBytes === null ? 'unknown' : formatBytes(data.freeBytes);
  if (image && !image.imageReady && image.freeBytes !== null && image.freeBytes < image.bytesNeeded) {
    return {
      ...base,
      status: 'blocking',
      message: `The training image needs about ${formatBytes(image.bytesNeeded)} where Docker keeps images (${image.dockerRootDir}), but only ${formatBytes(image.freeBytes)} is free.`,
      fix: {
        text: `Free at least ${formatBytes(image.bytesNeeded - image.freeBytes)} on that disk, for example by removing unused Docker images:`,
        command: 'docker system prune',
      },
    };
  }
  if (data.freeBytes !== null && data.freeBytes < RUNS_DISK_WARNING_BYTES) {
    return {
      ...base,
      status: 'warning',
      message: `Only ${dataFree} is free for runs in ${data.dir}; each run keeps checkpoints and exports (up to a few GB).`,
      fix: { text: 'Free some space on that disk, or delete old runs you no longer need.' },
    };
  }
  const imagePart =
    !image || image.freeBytes === null
      ? ''
      : image.imageReady
        ? ' The training image is already in place.'
        : ` ${formatBytes(image.freeBytes)} is free for the training image (about ${formatBytes(image.bytesNeeded)} needed).`;
  return { ...base, status: 'ok', message: `${dataFree} is free for runs in ${data.dir}.${imagePart}` };
}

/** Memory of this computer and, with Docker Desktop, of Docker's virtual machine. */
export function checkMemory(totalBytes: number, engineBytes: number | null, desktop: boolean): EnvironmentCheck {
  const base = { id: 'memory' as const, title: 'Memory' };
  if (desktop && engineBytes !== null && engineBytes < MEMORY_WARNING_BYTES) {
    return {
      ...base,
      status: 'warning',
      message: `Docker Desktop may use only ${formatMemory(engineBytes)} of memory; training loads images in parallel and needs 8 GB or more.`,
      fix: { text: 'In Docker Desktop, open Settings → Resources and give it 8 GB of memory or more.' },
    };
  }
  if (totalBytes < MEMORY_WARNING_BYTES) {
    return {
      ...base,
      status: 'warning',
      message: `This computer has ${formatMemory(totalBytes)} of memory; training works best with 16 GB or more. Smaller batches and fewer loader workers help.`,
    };
  }
  return { ...base, status: 'ok', message: `${formatMemory(totalBytes)} of memory.` };
}
