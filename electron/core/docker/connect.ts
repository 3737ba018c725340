import Dockerode from 'dockerode';
import { AppError } from '../../contract';

/**
 * Connects to the Docker Engine named by DOCKER_HOST, or the default socket.
 * (The environment doctor's full discovery — CLI context, Desktop, rootless — replaces this.)
 */
export async function connectDocker(): Promise<Dockerode> {
  const host = process.env.DOCKER_HOST;
  const docker = host?.startsWith('unix://')
    ? new Dockerode({ socketPath: host.slice('unix://'.length) })
    : new Dockerode();
  try {
    await docker.ping();
  } catch (error) {
    throw new AppError('docker_unreachable', 'DeiT Studio cannot reach Docker.', {
      fix: 'Start Docker (or Docker Desktop) and try again.',
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  return docker;
}
