import type Dockerode from 'dockerode';
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
    throw dockerProblemError(classifyDockerError(error), await engineFixContext(docker));
  }
}

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
