import fs from 'node:fs/promises';
import type { TrainerEvent } from '../../../contract';
import { parseEventLine } from './event-line';
import { LineSplitter } from '../../line-splitter';
import { applyLine, emptyRunMetrics, type RunMetrics } from './run-metrics';

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

/** Reads a whole metrics.jsonl (missing = no events); returns its stream and the bytes read. */
export async function loadMetrics(file: string): Promise<{ stream: MetricsStream; offset: number }> {
  const stream = new MetricsStream();
  let offset = 0;
  let handle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return { stream, offset };
  }
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
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
 * first event starts on a line of its own. Only called when no container writes the file.
 */
export async function endWithNewline(file: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(file, 'r+');
  } catch {
    return;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) await handle.write('\n', size);
  } finally {
    await handle.close();
  }
}
