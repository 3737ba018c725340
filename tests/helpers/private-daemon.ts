import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

// The test suite's private Docker Engine, driven through scripts/private-dockerd.sh (its flags live
// there, shared with scripts/test-env.sh). Fault tests stop, kill and restart it; they must leave it
// running (restartDaemon in afterAll).

const SCRIPT = path.resolve(__dirname, '../../scripts/private-dockerd.sh');

/** The state folder of the engine behind DOCKER_HOST (its socket is `<state>/docker.sock`). */
function stateDir(): string {
  const host = process.env.DOCKER_HOST ?? '';
  if (!host.startsWith('unix://') || !host.endsWith('/docker.sock')) {
    throw new Error(
      `DOCKER_HOST (${host || 'unset'}) is not the private test engine: the fault tests stop and restart ` +
        'the engine, so they only run against the one scripts/test-env.sh starts.',
    );
  }
  return path.dirname(host.slice('unix://'.length));
}

/** Runs the script without blocking the event loop (the core under test keeps working meanwhile). */
async function daemon(action: 'start' | 'stop' | 'kill' | 'status' | 'pids'): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [SCRIPT, action], {
    env: { ...process.env, DEIT_TEST_STATE: stateDir() },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return stdout;
}

/** True when the engine answers. */
export async function daemonAnswers(): Promise<boolean> {
  try {
    await daemon('status');
    return true;
  } catch {
    return false;
  }
}

/** Shuts the engine down as Docker's own stop or restart does (SIGTERM: containers get SIGTERM first). */
export async function stopDaemon(): Promise<void> {
  await daemon('stop');
}

/** Kills the whole engine at once (dockerd, containerd, shims, container processes): nothing saves anything. */
export async function killDaemon(): Promise<void> {
  await daemon('kill');
}

/** Starts the engine unless it answers already; returns once it does. */
export async function startDaemon(): Promise<void> {
  await daemon('start');
}

/** Process ids of the engine (dockerd, containerd, shims and their container processes). */
export async function daemonPids(): Promise<number[]> {
  return (await daemon('pids')).split('\n').filter(Boolean).map(Number);
}
