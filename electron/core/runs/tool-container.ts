import type Dockerode from 'dockerode';
import { PassThrough } from 'node:stream';
import type { TrainerEventOf } from '../../contract';
import { parseEventLine } from './event-line';
import { LineSplitter } from './line-splitter';
import { removeContainer } from './run-containers';

/** How a one-off trainer command (fetch weights, classify a folder) ended. */
export interface ToolResult {
  exitCode: number;
  error: TrainerEventOf<'error'> | null;
  /** Its last output lines, for a failure's detail. */
  tail: string[];
}

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
): Promise<ToolResult> {
  const container = await docker.createContainer(spec);
  onContainer(container);
  let error: TrainerEventOf<'error'> | null = null;
  const tail: string[] = [];
  try {
    await container.start();
    const logs = await container.logs({ follow: true, stdout: true, stderr: true });
    const out = new PassThrough();
    const splitter = new LineSplitter();
    const handle = (lines: string[]) => {
      const readable: string[] = [];
      for (const line of lines) {
        const parsed = parseEventLine(line);
        if (parsed.kind === 'event' && parsed.event.type === 'error') error = parsed.event;
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
    onContainer(null);
    await removeContainer(container).catch(() => undefined);
  }
}

function describe(event: { type: string; message?: unknown }): string | null {
  return typeof event.message === 'string' ? event.message : null;
}
