import type Dockerode from 'dockerode';
import { LABELS } from './container-spec';

/** A training or weights-fetch container of a run, as found by its labels. */
export interface RunContainer {
  id: string;
  runId: string;
  role: string;
  attempt: number;
  running: boolean;
}

/** How a container ended, from `docker inspect`. */
export interface ContainerExit {
  exitCode: number | null;
  oomKilled: boolean;
  running: boolean;
  /** When it exited (ISO time), null while running or when Docker does not say. */
  finishedAt: string | null;
}

/** Lists this data folder's run containers (running or not) by their labels. */
export async function listRunContainers(docker: Dockerode, dataDir: string): Promise<RunContainer[]> {
  const found = await docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.dataDir}=${dataDir}`, LABELS.run] },
  });
  return found.map((info) => ({
    id: info.Id,
    runId: info.Labels[LABELS.run] ?? '',
    role: info.Labels[LABELS.role] ?? '',
    attempt: Number(info.Labels[LABELS.attempt] ?? 0),
    running: info.State === 'running',
  }));
}

/** Reads a container's exit code and OOM flag; null fields when it no longer exists. */
export async function inspectExit(container: Dockerode.Container): Promise<ContainerExit | null> {
  try {
    const info = await container.inspect();
    const finished = Date.parse(info.State.FinishedAt);
    return {
      exitCode: info.State.ExitCode,
      oomKilled: info.State.OOMKilled,
      running: info.State.Running,
      // Docker says 0001-01-01T00:00:00Z for "never".
      finishedAt: !info.State.Running && finished > 0 ? new Date(finished).toISOString() : null,
    };
  } catch (error) {
    if (statusCode(error) === 404) return null;
    throw error;
  }
}

/** Sends a signal; a container that already stopped or is gone is not an error. */
export async function signalContainer(container: Dockerode.Container, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  try {
    await container.kill({ signal });
  } catch (error) {
    const code = statusCode(error);
    if (code === 404 || code === 409 || code === 304) return; // gone, not running, already stopped
    throw error;
  }
}

/** Removes a container; one that is already gone is not an error. */
export async function removeContainer(container: Dockerode.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
  } catch (error) {
    const code = statusCode(error);
    if (code === 404 || code === 409) return; // gone, or removal already in progress
    throw error;
  }
}

/**
 * The last lines a container printed (stdout and stderr), demultiplexed: with `Tty: false` Docker
 * frames each chunk with an 8-byte header, and a non-follow request returns one Buffer.
 */
export async function containerLogTail(container: Dockerode.Container, lines: number): Promise<string[]> {
  let raw: Buffer;
  try {
    raw = (await container.logs({ stdout: true, stderr: true, follow: false, tail: lines })) as unknown as Buffer;
  } catch {
    return [];
  }
  return demuxFrames(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)))
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(-lines);
}

/** Joins the payloads of Docker's multiplexed stream frames ([stream, 0, 0, 0, size32be] + payload). */
export function demuxFrames(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const kind = raw[at];
    const size = raw.readUInt32BE(at + 4);
    if ((kind !== 0 && kind !== 1 && kind !== 2) || at + 8 + size > raw.length) {
      return raw.toString('utf8'); // not multiplexed (a TTY container): the text as it is
    }
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The HTTP status of a Docker API error, if any. */
export function statusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
