import type Dockerode from 'dockerode';
import { AppError, type AppErrorShape } from '../../contract';
import { classifyDockerError } from '../docker/classify-docker-error';
import { dockerProblemError } from '../docker/docker-problem-fixes';
import { engineFixContext } from '../docker/fix-context';

/**
 * Whether an image is on the engine — asked every time, never cached, so an image removed behind the
 * app's back (docker rmi) is noticed on the next check. Only the engine's "no such image" (404) means
 * absent: when the engine does not answer, that is reported as what it is (Docker is not running,
 * with its fix), never as a missing image that would offer a needless download.
 *
 *   if (await imagePresent(docker, tag)) …
 */
export async function imagePresent(docker: Dockerode, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    // Already said plainly (the SSH transport's host key, login or network errors): passed on as is.
    if (error instanceof AppError) throw error;
    throw dockerProblemError(classifyDockerError(error), await engineFixContext(docker));
  }
}

/** The SSH transport's errors (engine-errors.ts): the server's engine cannot be reached, for that reason. */
const SSH_KINDS: ReadonlySet<string> = new Set(['ssh_host_key', 'ssh_refused', 'ssh_unreachable']);

/** True when an error means the engine itself cannot be reached (stopped, missing, forbidden). */
export function isConnectionProblem(error: unknown): boolean {
  const { problem } = classifyDockerError(error);
  return (
    problem === 'daemon_missing' ||
    problem === 'daemon_stopped' ||
    problem === 'daemon_unresponsive' ||
    problem === 'permission_denied'
  );
}

/**
 * When `error` means the engine cannot be reached, that fact as the error `image.status` carries
 * with state `unknown` (kind docker_unreachable or docker_permission, with the fix); else null.
 *
 *   const down = await engineDownError(error); if (!down) throw error;
 */
export async function engineDownError(error: unknown): Promise<AppErrorShape | null> {
  let appError: AppError;
  if (error instanceof AppError) appError = error;
  else if (isConnectionProblem(error)) {
    appError = dockerProblemError(classifyDockerError(error), await engineFixContext(null));
  } else return null;
  // A server that cannot be reached over SSH (host key changed, key refused, unreachable): its reason and fix.
  if (appError.kind === 'docker_permission' || SSH_KINDS.has(appError.kind)) return appError.toShape();
  if (appError.kind !== 'docker_unreachable') return null;
  // The engine's own words (stopped, not installed, stuck) stay in the detail; the fix is theirs.
  const detail = appError.detail ? `${appError.message} (${appError.detail})` : appError.message;
  return {
    kind: 'docker_unreachable',
    message: 'Docker is not answering, so DeiT Studio cannot tell whether the training image is there.',
    ...(appError.fix ? { fix: appError.fix } : {}),
    detail,
  };
}

/** An error shape (e.g. `ImageStatus.error`) thrown again as the typed error. */
export function appErrorFrom(shape: AppErrorShape): AppError {
  return new AppError(shape.kind, shape.message, {
    ...(shape.fix !== undefined ? { fix: shape.fix } : {}),
    ...(shape.detail !== undefined ? { detail: shape.detail } : {}),
  });
}
