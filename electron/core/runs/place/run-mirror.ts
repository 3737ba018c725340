import type Dockerode from 'dockerode';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { CAPS } from '../folder/container-file';
import { APPEND_FLAGS } from '../folder/run-folder';

/** The files a running remote run streams back as they grow (what LiveRun follows), with their caps. */
export const FOLLOWED_FILES = [
  { rel: 'metrics.jsonl', cap: CAPS.metrics },
  { rel: 'train.log', cap: 1024 ** 3 },
] as const;

/** Waits between tries after a failed or ended stream: 250 ms, doubling, at most this. */
export const MIRROR_BACKOFF_MAX_MS = 5000;

/** What a mirror needs: where it writes, which container, its engine's client, and whom to tell of trouble. */
export interface MirrorInput {
  /** The local run's output/ folder. */
  outputDir: string;
  containerId: string;
  docker(): Promise<Dockerode>;
  /** Told when a stream broke and could not be opened again (once per outage), and when it works again. */
  onLost?(error: unknown): void;
  onBack?(): void;
}

/**
 * Copies what a running container on a server appends to its files into the local output/ folder,
 * by byte offset: one exec per file of `tail -c +<local size + 1> -F /run/<file>`, its output
 * appended locally, so LiveRun follows the local files exactly as for a local run. A broken stream
 * (a dropped connection) is opened again with backoff from the local size: nothing doubled, nothing
 * lost. After the container exits, the final copy (volume-place.ts) brings the rest.
 *
 *   const mirror = new RunMirror({ outputDir, containerId, docker: () => place.docker() });
 *   mirror.start(); ...; await mirror.stop();
 */
export class RunMirror {
  private stopped = false;
  private loops: Promise<void>[] = [];
  private readonly streams = new Set<NodeJS.ReadableStream & { destroy(): void }>();
  private wake: (() => void) | null = null;
  private lost = false;
  /** Bytes appended locally by this mirror (all files). */
  bytes = 0;

  constructor(private readonly input: MirrorInput) {}

  start(): void {
    this.loops = FOLLOWED_FILES.map((file) => this.loop(file.rel, file.cap));
  }

  /** Stops every stream; resolves when every byte received is written. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    for (const stream of this.streams) stream.destroy();
    await Promise.allSettled(this.loops);
  }

  private async loop(rel: string, cap: number): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let got = 0;
      try {
        got = await this.once(rel, cap);
        if (this.lost) {
          this.lost = false;
          this.input.onBack?.();
        }
      } catch (error) {
        if (this.stopped) break;
        // A running container answers an exec; one that exited answers 409 (the final copy follows).
        if (!this.lost && !isNotRunning(error)) {
          this.lost = true;
          this.input.onLost?.(error);
        }
      }
      failures = got > 0 ? 0 : failures + 1;
      await this.sleep(Math.min(MIRROR_BACKOFF_MAX_MS, 250 * 2 ** Math.min(failures, 5)));
    }
  }

  /** One stream: from the local size to wherever it breaks; the bytes appended. */
  private async once(rel: string, cap: number): Promise<number> {
    const local = path.join(this.input.outputDir, rel);
    const offset = (await fs.lstat(local).catch(() => null))?.size ?? 0;
    if (offset >= cap) return 0;
    const docker = await this.input.docker();
    const exec = await docker.getContainer(this.input.containerId).exec({
      Cmd: ['tail', '-c', `+${offset + 1}`, '-F', `/run/${rel}`],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream & { destroy(): void };
    this.streams.add(stream);
    const handle = await fs.open(local, APPEND_FLAGS, 0o600);
    let written = 0;
    let writing: Promise<unknown> = Promise.resolve();
    try {
      if (!(await handle.stat()).isFile()) throw new Error(`${local} is not a regular file`);
      const out = new PassThrough();
      out.on('data', (chunk: Buffer) => {
        const room = cap - offset - written;
        const part = chunk.subarray(0, Math.max(0, room));
        if (!part.length) return;
        written += part.length;
        this.bytes += part.length;
        const copy = Buffer.from(part);
        writing = writing.then(() => handle.write(copy));
      });
      const ended = new Promise<void>((resolve) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', () => resolve());
      });
      docker.modem.demuxStream(stream, out, new Writable({ write: (_c, _e, done) => done() }));
      await ended;
      await writing;
      return written;
    } finally {
      this.streams.delete(stream);
      stream.destroy();
      await writing.catch(() => undefined);
      await handle.close();
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function isNotRunning(error: unknown): boolean {
  return (error as { statusCode?: number })?.statusCode === 409;
}
