import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TrainerEvent } from '../../../contract';
import { parseEventLine } from './event-line';
import { LineSplitter } from '../../line-splitter';
import { CAPS, isUnsafeFile, openContainerFile } from '../folder/container-file';
import { addWarning, applyLine, emptyRunMetrics, type RunMetrics } from './run-metrics';

/** Receives each event as it is read, with its line number in metrics.jsonl. */
export type EventListener = (index: number, event: TrainerEvent) => void;

/** What reading some bytes changed: nothing, progress only, or the run's status. */
export type MetricsChange = 'none' | 'progress' | 'status';

/**
 * The one ingestion path of a run's event stream: bytes of metrics.jsonl → lines → validated
 * events → the run's metrics. Used both to rebuild a run from its file and to follow it live.
 */
export class MetricsStream {
  private readonly splitter = new LineSplitter();
  listener: EventListener | null = null;

  constructor(readonly metrics: RunMetrics = emptyRunMetrics()) {}

  /** Feeds bytes read from metrics.jsonl; returns the biggest change they made. */
  feed(chunk: Buffer): MetricsChange {
    return this.applyLines(this.splitter.push(chunk));
  }

  /**
   * Ends the current writer's output: an incomplete last line (a trainer killed mid-write) counts
   * as a line, so line numbers stay those of the file once its end is repaired (`endWithNewline`).
   */
  flush(): MetricsChange {
    return this.applyLines(this.splitter.flush());
  }

  /** metrics.jsonl passed `CAPS.metrics`: the rest is not read (said once with the run's warnings). */
  tooLarge(): void {
    addWarning(this.metrics, {
      code: 'stream_too_large',
      message: `metrics.jsonl is larger than ${CAPS.metrics / 1024 / 1024} MiB; DeiT Studio does not read the rest of it.`,
    });
  }

  /** metrics.jsonl is a link, a pipe or another non-regular file: it is never read. */
  refused(error: Error): void {
    addWarning(this.metrics, { code: 'stream_refused', message: error.message });
  }

  /** True when bytes of an incomplete last line are waiting for their newline. */
  get hasPartialLine(): boolean {
    return this.splitter.pendingLength > 0;
  }

  private applyLines(lines: string[]): MetricsChange {
    let change: MetricsChange = 'none';
    for (const line of lines) {
      const index = this.metrics.eventCount;
      const parsed = parseEventLine(line);
      const changed = applyLine(this.metrics, parsed);
      if (changed === 'status' || (changed === 'progress' && change === 'none')) change = changed;
      if (parsed.kind === 'event' && this.listener) this.listener(index, parsed.event);
    }
    return change;
  }
}

/**
 * Reads a whole metrics.jsonl (missing = no events) up to `CAPS.metrics`, never through a link or from
 * a pipe (container-file.ts); returns its stream and the bytes read.
 */
export async function loadMetrics(
  file: string,
  within = path.dirname(file),
): Promise<{ stream: MetricsStream; offset: number }> {
  const stream = new MetricsStream();
  let offset = 0;
  let handle;
  try {
    handle = (await openContainerFile(file, within))?.handle;
  } catch (error) {
    if (!isUnsafeFile(error)) throw error;
    stream.refused(error as Error);
  }
  if (!handle) return { stream, offset };
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const room = Math.min(buffer.length, CAPS.metrics - offset);
      if (room <= 0) {
        stream.tooLarge();
        break;
      }
      const { bytesRead } = await handle.read(buffer, 0, room, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      stream.feed(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return { stream, offset };
}

/**
 * Terminates a metrics.jsonl whose writer died mid-line with a newline, so that the next attempt's
 * first event starts on a line of its own. Only called when no container writes the file; never
 * through a link, into a pipe or a device (a container could have planted one).
 */
export async function endWithNewline(file: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(file, constants.O_RDWR | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return;
  }
  try {
    const stat = await handle.stat();
    const size = stat.size;
    if (!stat.isFile() || size === 0) return;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) await handle.write('\n', size);
  } finally {
    await handle.close();
  }
}
