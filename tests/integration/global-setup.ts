import { requireTwinImage, testDocker } from '../helpers/docker-env';

/** Integration tests need the real Docker Engine and the CPU twin image: fail loudly, never skip. */
export default async function setup(): Promise<void> {
  const docker = await testDocker();
  await requireTwinImage(docker);
}
