import { watch, type FSWatcher } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isUnsafeFile, openContainerFile } from '../folder/container-file';

const CHUNK_BYTES = 1024 * 1024;

/** How a follower reads: where to start, how often to look when no change is signalled. */
export interface FollowOptions {
  /** Byte offset to start from (where an earlier reader stopped). */
  offset: number;
  /** Receives each chunk read; the buffer is reused afterwards, so copy what you keep. */
  onData: (chunk: Buffer) => void;
  /** Polling interval; file-change notifications make reads faster but are not relied on. */
  pollMs?: number;
  /** The folder the file must be in without a link on the way (default: its own folder). */
  within?: string;
  /** Stop reading past this offset (a container could write without end); `onLimit` is told once. */
  maxBytes?: number;
  onLimit?: () => void;
  /** Told once when the file is a link, a FIFO or another non-regular file: it is never read. */
  onRefused?: (error: Error) => void;
}

/**
 * Follows a file that another process appends to (the trainer's metrics.jsonl and train.log through
 * a bind mount), from a byte offset, like `tail -f`: reads on change notifications and on a timer,
 * one read at a time, until stopped. The file may not exist yet. Knowing the offset is what makes
 * reattaching after a restart lossless. The file was written by a container, so it is opened like
 * every such file (container-file.ts): no link, a regular file only, and read up to `maxBytes`.
 */
export class FileFollower {
  private handle: FileHandle | null = null;
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private timer: NodeJS.Timeout | null = null;
  private watcher: FSWatcher | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private refused = false;
  private limited = false;
  /** Bytes read so far (the offset of the next read). */
  offset: number;

  constructor(
    readonly file: string,
    private readonly options: FollowOptions,
  ) {
    this.offset = options.offset;
  }

  /** Starts following: reads what is there, then keeps reading as the file grows. */
  start(): void {
    const pollMs = this.options.pollMs ?? 250;
    this.timer = setInterval(() => void this.read().catch(() => undefined), pollMs);
    this.timer.unref();
    this.tryWatch();
    void this.read().catch(() => undefined);
  }

  /** Reads everything appended so far (resolves when at the end of the file). */
  read(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readLoop().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  /** Reads to the end one last time, then stops and releases the file. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
    await this.read().catch(() => undefined);
    this.stopped = true;
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
  }

  private async readLoop(): Promise<void> {
    do {
      this.again = false;
      if (this.stopped) return;
      const handle = await this.open();
      if (!handle) return;
      this.tryWatch();
      const max = this.options.maxBytes ?? Number.MAX_SAFE_INTEGER;
      for (;;) {
        const room = Math.min(CHUNK_BYTES, max - this.offset);
        if (room <= 0) {
          if (!this.limited) this.options.onLimit?.();
          this.limited = true;
          break;
        }
        const { bytesRead } = await handle.read(this.buffer, 0, room, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.options.onData(this.buffer.subarray(0, bytesRead));
      }
    } while (this.again);
  }

  private async open(): Promise<FileHandle | null> {
    if (this.handle) return this.handle;
    if (this.refused) return null;
    try {
      this.handle =
        (await openContainerFile(this.file, this.options.within ?? path.dirname(this.file)))?.handle ?? null;
    } catch (error) {
      if (!isUnsafeFile(error)) return null;
      this.refused = true; // a link or a FIFO: never read, never asked again
      this.options.onRefused?.(error as Error);
    }
    return this.handle; // null: not created yet
  }

  private tryWatch(): void {
    if (this.watcher || this.stopped || !this.timer) return;
    try {
      this.watcher = watch(this.file, { persistent: false }, () => void this.read().catch(() => undefined));
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      this.watcher = null; // the file does not exist yet: the timer keeps looking
    }
  }
}
