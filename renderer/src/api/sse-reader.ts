/**
 * Reads a server-sent event stream (`text/event-stream`) from a fetch() body. Serve mode reads its
 * event stream with fetch instead of EventSource because EventSource cannot send the
 * `Authorization: Bearer` header that carries the token (api/token.ts).
 *
 *   const parser = new SseParser((event) => …);   // { id?, event, data, retry? }
 *   parser.push('id: 1\nevent: run.updated\ndata: {}\n\n');
 *   await readEventStream(response.body, (event) => …);   // until the stream ends or fails
 *
 * The format as the HTML standard defines it: lines end in \n, \r\n or \r; `field: value`; a blank
 * line dispatches; `:` starts a comment (the server's keep-alive); data lines join with \n.
 */
export interface SseEvent {
  /** The `id:` of this event, when it had one (what to send as Last-Event-ID on reconnecting). */
  id?: string;
  /** `event:`, or 'message'. */
  event: string;
  data: string;
  /** A `retry:` in milliseconds that came with it. */
  retry?: number;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private retry: number | undefined;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** Feeds decoded text; complete events are passed on as they complete. */
  push(text: string): void {
    this.buffer += text;
    for (;;) {
      const end = /\r\n|\r|\n/.exec(this.buffer);
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (!end || (end[0] === '\r' && end.index === this.buffer.length - 1)) return;
      const line = this.buffer.slice(0, end.index);
      this.buffer = this.buffer.slice(end.index + end[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
  }

  private dispatch(): void {
    const { id, retry } = this;
    if (this.data.length > 0) {
      this.onEvent({
        ...(id !== undefined ? { id } : {}),
        event: this.event || 'message',
        data: this.data.join('\n'),
        ...(retry !== undefined ? { retry } : {}),
      });
    } else if (retry !== undefined) {
      this.onEvent({ event: '', data: '', retry }); // a bare `retry:` (no data): only the wait changes
    }
    this.data = [];
    this.event = '';
    this.retry = undefined;
  }
}

/** Reads `body` to its end, passing on each event; throws when the stream fails (cut, aborted). */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: SseEvent) => void,
): Promise<void> {
  const parser = new SseParser(onEvent);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
  } finally {
    reader.releaseLock();
  }
}
