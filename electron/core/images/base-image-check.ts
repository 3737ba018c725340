import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { BaseImageCheck, LocalImage } from '../../contract';
import { PIDS_LIMIT } from '../docker/container-spec';
import { isConnectionProblem } from './image-presence';

/**
 * Is an image a base the trainer can build on? The tag says little (a copy may be renamed), so a
 * short container asks Python which torch it has, with no network. Verdicts: `pytorch_2_6` (what the
 * trainer is made for), `other_torch`, `no_torch`, `no_python`, `wrong_platform` (made for another
 * processor), `unknown` (the probe could not run). Everything but the first is a warning the user sees.
 *
 *   const check = await checkBaseImage(docker, 'pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime');
 *   const images = await listLocalImages(docker);   // for "Use an image already on this engine"
 */

/** Tags that name the official PyTorch 2.6 images. */
export const PYTORCH_26_TAG = /^(docker\.io\/)?pytorch\/pytorch:2\.6\./;

const PROBE = "import torch; print('torch=' + torch.__version__)";

/** Docker's architecture names for what `docker info` reports as the machine (uname) architecture. */
const ARCH: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'arm', ppc64le: 'ppc64le' };

function verdictOf(image: string, torchVersion: string | null, exitCode: number, output: string): BaseImageCheck {
  if (torchVersion?.startsWith('2.6.')) {
    return {
      image,
      verdict: 'pytorch_2_6',
      torchVersion,
      message: `PyTorch ${torchVersion}: what the trainer is made for.`,
    };
  }
  if (torchVersion) {
    return {
      image,
      verdict: 'other_torch',
      torchVersion,
      message: `This image has PyTorch ${torchVersion}, not 2.6: the trainer is tested on 2.6 and may fail or behave differently.`,
    };
  }
  if (/No module named .?torch/.test(output)) {
    return {
      image,
      verdict: 'no_torch',
      torchVersion: null,
      message: 'This image has Python but no PyTorch: building the trainer on it will fail.',
    };
  }
  return {
    image,
    verdict: exitCode === 127 || /executable file not found|no such file/i.test(output) ? 'no_python' : 'unknown',
    torchVersion: null,
    message:
      exitCode === 127 || /executable file not found|no such file/i.test(output)
        ? 'This image has no Python (python3): it cannot be a base for the trainer.'
        : `Checking the image for PyTorch failed (exit ${exitCode}); training on it may fail.`,
  };
}

/** Runs `python3 -c "import torch"` in the image (no network, removed afterwards) and judges it. */
export async function checkBaseImage(docker: Dockerode, image: string, timeoutMs = 120_000): Promise<BaseImageCheck> {
  const inspect = (await docker.getImage(image).inspect()) as { Os?: string; Architecture?: string };
  const info = (await docker.info()) as { Architecture?: string };
  const engineArch = ARCH[info.Architecture ?? ''] ?? info.Architecture;
  if (
    (inspect.Os && inspect.Os !== 'linux') ||
    (inspect.Architecture && engineArch && inspect.Architecture !== engineArch)
  ) {
    return {
      image,
      verdict: 'wrong_platform',
      torchVersion: null,
      message: `This image is made for ${inspect.Os ?? '?'}/${inspect.Architecture ?? '?'}, but the engine runs linux/${engineArch ?? '?'}.`,
    };
  }
  const signal = AbortSignal.timeout(timeoutMs);
  let container: Dockerode.Container | null = null;
  try {
    container = await docker.createContainer({
      Image: image,
      name: `deit-studio-base-check-${randomBytes(4).toString('hex')}`,
      Entrypoint: ['python3', '-c', PROBE],
      Cmd: [],
      Tty: true, // one plain output stream, not multiplexed
      Labels: { 'deit-studio.role': 'base-check' },
      NetworkDisabled: true,
      Env: ['OMP_NUM_THREADS=1'],
      HostConfig: { NetworkMode: 'none', PidsLimit: PIDS_LIMIT },
      abortSignal: signal,
    } as Dockerode.ContainerCreateOptions);
    let startError = '';
    await container.start({ abortSignal: signal }).catch((error: unknown) => {
      if (isConnectionProblem(error)) throw error;
      startError = String((error as { json?: { message?: string } }).json?.message ?? error);
    });
    if (startError) return verdictOf(image, null, 127, startError);
    const { StatusCode } = (await container.wait({ abortSignal: signal })) as { StatusCode: number };
    const output = ((await container.logs({ stdout: true, stderr: true })) as unknown as Buffer).toString('utf8');
    const version = /torch=(\S+)/.exec(output)?.[1] ?? null;
    return verdictOf(image, StatusCode === 0 ? version : null, StatusCode, output);
  } catch (error) {
    if (signal.aborted) return verdictOf(image, null, -1, 'timed out');
    throw error;
  } finally {
    await container?.remove({ force: true }).catch(() => undefined);
  }
}

/** Our own images are never offered as a base: trainer builds, the GPU probe, loaded-by-id copies stay. */
function ours(labels: Record<string, string> | null | undefined): boolean {
  return Boolean(labels?.['deit-studio.trainer-hash'] || labels?.['deit-studio.role']);
}

/** Tagged images on the engine, PyTorch 2.6 tags first, then newest first. */
export async function listLocalImages(docker: Dockerode): Promise<LocalImage[]> {
  const images = await docker.listImages();
  const list: LocalImage[] = images.flatMap((image) =>
    ours(image.Labels)
      ? []
      : (image.RepoTags ?? [])
          .filter((tag) => tag !== '<none>:<none>')
          .map((tag) => ({
            tag,
            id: image.Id,
            sizeBytes: image.Size,
            createdAt: image.Created ? new Date(image.Created * 1000).toISOString() : null,
            recognised: PYTORCH_26_TAG.test(tag),
          })),
  );
  return list.sort(
    (a, b) =>
      Number(b.recognised) - Number(a.recognised) ||
      (b.createdAt ?? '').localeCompare(a.createdAt ?? '') ||
      a.tag.localeCompare(b.tag),
  );
}
