import Dockerode from 'dockerode';

/** The CPU twin of pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime built by scripts/test-env.sh. */
export const TWIN_IMAGE = 'deit-studio/base-cpu:trixie';

const HOW_TO = 'Run `bash scripts/test-env.sh` (as root it installs and starts everything), then `npm test`.';

/** A dockerode client for the test daemon named by DOCKER_HOST; throws loudly when none answers. */
export async function testDocker(): Promise<Dockerode> {
  const host = process.env.DOCKER_HOST;
  if (!host?.startsWith('unix://')) {
    throw new Error(`DOCKER_HOST is not set to a unix socket (got ${host ?? 'nothing'}). ${HOW_TO}`);
  }
  const docker = new Dockerode({ socketPath: host.slice('unix://'.length) });
  try {
    await docker.ping();
  } catch (error) {
    throw new Error(`No Docker Engine answers at ${host}: ${(error as Error).message}. ${HOW_TO}`, { cause: error });
  }
  return docker;
}

/** Fails loudly when the CPU twin image is missing. */
export async function requireTwinImage(docker: Dockerode): Promise<void> {
  try {
    await docker.getImage(TWIN_IMAGE).inspect();
  } catch {
    throw new Error(`The CPU twin image ${TWIN_IMAGE} is missing. ${HOW_TO}`);
  }
}
