import type http from 'node:http';
import type { EventName } from '../contract';
import type { EventBus } from '../core/event-bus';

interface BufferedEvent {
  id: number;
  name: EventName;
  data: string;
}

/**
 * Server-sent events: every core event, numbered, in order. A ring buffer lets a client that
 * reconnects (EventSource sends Last-Event-ID) receive what it missed. At most `maxClients` streams
 * are open at once: each one is a socket and a share of every event's writes.
 */
export class EventStream {
  private readonly clients = new Set<http.ServerResponse>();
  private readonly buffer: BufferedEvent[] = [];
  private nextId = 1;
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    bus: EventBus,
    private readonly maxClients = 32,
    private readonly bufferSize = 2000,
    heartbeatMs = 15_000,
  ) {
    this.unsubscribe = bus.subscribe((name, payload) => this.publish(name, payload));
    this.heartbeat = setInterval(() => this.writeAll(': keep-alive\n\n'), heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Attaches a client; replays buffered events after `lastEventId` when given. Returns false, having
   * written nothing, when `maxClients` streams are open already.
   */
  attach(req: http.IncomingMessage, res: http.ServerResponse, headers: Record<string, string>): boolean {
    if (this.clients.size >= this.maxClients) return false;
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    const lastId = Number(req.headers['last-event-id'] ?? NaN);
    if (Number.isFinite(lastId)) {
      for (const event of this.buffer) if (event.id > lastId) res.write(format(event));
    }
    this.clients.add(res);
    // The response's close (the client went away), not the request's: that one may come as soon as
    // the empty GET body is read.
    res.once('close', () => this.clients.delete(res));
    return true;
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private publish(name: EventName, payload: unknown): void {
    const event = { id: this.nextId++, name, data: JSON.stringify(payload) };
    this.buffer.push(event);
    if (this.buffer.length > this.bufferSize) this.buffer.shift();
    this.writeAll(format(event));
  }

  private writeAll(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }
}

function format(event: BufferedEvent): string {
  return `id: ${event.id}\nevent: ${event.name}\ndata: ${event.data}\n\n`;
}
