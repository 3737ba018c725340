import { requireTwinImage, testDocker } from '../helpers/docker-env';
import { startDaemon } from '../helpers/private-daemon';

/**
 * The fault tests need the private Docker Engine (they stop and restart it) and the CPU twin image:
 * fail loudly, never skip. Afterwards the engine is left running, whatever happened.
 */
export default async function setup(): Promise<() => Promise<void>> {
  await startDaemon();
  await requireTwinImage(await testDocker());
  return async () => {
    await startDaemon();
  };
}
