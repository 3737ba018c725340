import type Dockerode from 'dockerode';
import { PassThrough } from 'node:stream';
import type { TrainerEvent, TrainerEventOf } from '../../contract';
import { parseEventLine } from '../runs/ingest/event-line';
import { LineSplitter } from '../line-splitter';
import { removeContainer } from './run-containers';

/** How a one-off trainer command (fetch weights, classify a folder) ended. */
export interface ToolResult {
  exitCode: number;
  error: TrainerEventOf<'error'> | null;
  /** Its last output lines, for a failure's detail. */
  tail: string[];
}

export interface ToolOptions {
  /** Every trainer event it prints, parsed (e.g. `progress` of `predict`), as it arrives. */
  onEvent?: (event: TrainerEvent) => void;
  /** Aborting kills the container (a cancel: nothing of a one-off command is worth saving). */
  signal?: AbortSignal;
}

/** The exit code of a container killed by SIGKILL (also reported when it was cancelled before it started). */
export const KILLED_EXIT_CODE = 137;

/**
 * Runs a one-off trainer command (e.g. `deit_trainer fetch-weights`) in its own container, reports its
 * output as plain log lines while it works ("Downloading … 40%"), keeps its `error` event, then
 * removes the container.
 */
export async function runToolContainer(
  docker: Dockerode,
  spec: Dockerode.ContainerCreateOptions,
  onLines: (lines: string[]) => void,
  onContainer: (container: Dockerode.Container | null) => void,
  options: ToolOptions = {},
): Promise<ToolResult> {
  const { onEvent, signal } = options;
  const container = await docker.createContainer(spec);
  onContainer(container);
  let error: TrainerEventOf<'error'> | null = null;
  const tail: string[] = [];
  const kill = () => void container.kill().catch(() => undefined); // 409: it has stopped already
  try {
    if (signal?.aborted) return { exitCode: KILLED_EXIT_CODE, error, tail };
    signal?.addEventListener('abort', kill, { once: true });
    await container.start();
    if (signal?.aborted) kill(); // aborted while it was starting
    const logs = await container.logs({ follow: true, stdout: true, stderr: true });
    const out = new PassThrough();
    const splitter = new LineSplitter();
    const handle = (lines: string[]) => {
      const readable: string[] = [];
      for (const line of lines) {
        const parsed = parseEventLine(line);
        if (parsed.kind === 'event' && parsed.event.type === 'error') error = parsed.event;
        if (parsed.kind === 'event') onEvent?.(parsed.event);
        const text = parsed.kind === 'event' ? describe(parsed.event) : line;
        if (text) readable.push(text);
      }
      tail.push(...readable);
      tail.splice(0, Math.max(0, tail.length - 30));
      if (readable.length) onLines(readable);
    };
    out.on('data', (chunk: Buffer) => handle(splitter.push(chunk)));
    const ended = new Promise<void>((resolve) => {
      logs.on('end', resolve);
      logs.on('close', resolve);
      logs.on('error', () => resolve());
    });
    container.modem.demuxStream(logs, out, out);
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 2000))]);
    handle(splitter.flush());
    return { exitCode: StatusCode, error, tail };
  } finally {
    signal?.removeEventListener('abort', kill);
    onContainer(null);
    await removeContainer(container).catch(() => undefined);
  }
}

function describe(event: { type: string; message?: unknown }): string | null {
  return typeof event.message === 'string' ? event.message : null;
}
