/** A line longer than this is not an event: it is dropped (as garbage) instead of growing memory. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into text lines, whatever the chunk boundaries: keeps a partial last line
 * until its newline arrives, accepts `\n` and `\r\n`, decodes UTF-8 per complete line (so a
 * character split across chunks survives), and drops over-long lines, reporting how many. The core's
 * one line splitter: `metrics.jsonl` and `train.log` (runs/), a tool container's output, and Docker's
 * JSON-lines streams (docker/json-lines.ts).
 *
 *   const splitter = new LineSplitter();
 *   for (const line of splitter.push(chunk)) handle(line); // at the end: splitter.flush()
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowing = false;
  /** Lines dropped because they were longer than `maxLineBytes`. */
  droppedLines = 0;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  /** Bytes held back as an incomplete last line. */
  get pendingLength(): number {
    return this.pendingBytes;
  }

  /** Feeds the next bytes; returns the lines they complete, without line endings. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    let newline = chunk.indexOf(NEWLINE, start);
    while (newline !== -1) {
      this.emit(chunk, start, newline, lines);
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
    return lines;
  }

  /** Ends the stream: returns the incomplete last line, if any (a writer that died mid-line). */
  flush(): string[] {
    if (this.pendingBytes === 0 && !this.overflowing) return [];
    const lines: string[] = [];
    if (this.overflowing) this.droppedLines += 1;
    else lines.push(stripCr(Buffer.concat(this.pending).toString('utf8')));
    this.reset();
    return lines;
  }

  private emit(chunk: Buffer, start: number, end: number, lines: string[]): void {
    if (this.overflowing || this.pendingBytes + (end - start) > this.maxLineBytes) {
      this.droppedLines += 1;
      this.reset();
      return;
    }
    let text: string;
    if (this.pendingBytes === 0) {
      const last = end > start && chunk[end - 1] === CR ? end - 1 : end;
      text = chunk.toString('utf8', start, last);
    } else {
      this.pending.push(chunk.subarray(start, end));
      text = stripCr(Buffer.concat(this.pending).toString('utf8'));
    }
    this.reset();
    lines.push(text);
  }

  private hold(rest: Buffer): void {
    if (this.overflowing) return;
    if (this.pendingBytes + rest.length > this.maxLineBytes) {
      this.overflowing = true;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    // Copy: the caller may reuse its read buffer.
    this.pending.push(Buffer.from(rest));
    this.pendingBytes += rest.length;
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.overflowing = false;
  }
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
