import {
  EVENT_NAMES,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload,
  type Result,
  type StudioApi,
} from '@contract';
import { connection as pageConnection, type ConnectionStatus } from './connection';
import { readEventStream, type SseEvent } from './sse-reader';
import { authHeader, currentToken } from './token';

type Listener = (payload: unknown) => void;

/** How long to wait before opening the event stream again when the server does not answer. */
const RETRY_MS = 2000;
/** The longest wait between attempts when the server answers calls but closes the stream (e.g. 503: too many tabs). */
const MAX_REFUSED_RETRY_MS = 30_000;
/** The wait after an open stream ends, unless the server said otherwise (`retry:`; it says 1000). */
const RECONNECT_MS = 1000;

const KNOWN_EVENTS = new Set<string>(EVENT_NAMES);

/**
 * The wait before the next attempt to open the event stream: at once the first time the server
 * answers (it restarted or dropped the stream), then doubling up to 30 s while it keeps refusing the
 * stream though calls work — never a tight loop of reconnects.
 */
export function streamRetryDelay(serverAnswers: boolean, refusedInARow: number): number {
  if (!serverAnswers) return RETRY_MS;
  if (refusedInARow <= 1) return 0;
  return Math.min(MAX_REFUSED_RETRY_MS, 500 * 2 ** (refusedInARow - 2));
}

/**
 * The API over HTTP, for serve mode: calls are POSTs to /api/call/<name>; events arrive over one
 * stream, GET /api/events, read with fetch (api/sse-reader.ts) because EventSource cannot send the
 * token's header; it reconnects like EventSource would, sending Last-Event-ID so the server
 * replays what was missed. Every request carries `Authorization: Bearer <token>` (api/token.ts);
 * `token` says which (the page's, unless told).
 *
 * It also tells `status` whether the server can be reached: a call or the event stream that cannot
 * reach it → lost; an answer → restored; a 401 (the server restarted with a new token, or this page's
 * token is wrong) → token rejected, and the event stream is not opened again.
 */
export function createHttpApi(
  baseUrl = '',
  status: ConnectionStatus = pageConnection,
  token: () => string | null = currentToken,
): StudioApi {
  const listeners = new Map<EventName, Set<Listener>>();
  /** The stream's loop is running (connecting, open, or waiting to try again). */
  let streaming = false;
  let streamOpen = false;
  let abort: AbortController | null = null;
  let lastEventId: string | null = null;
  let reconnectMs = RECONNECT_MS;
  /** Stream refusals in a row while the server answered; reset when the stream opens. */
  let refusedInARow = 0;

  const rejected = () => status.get().state === 'token_rejected';

  function ensureStream(): void {
    if (streaming || rejected() || typeof fetch === 'undefined') return;
    streaming = true;
    void streamLoop().finally(() => {
      streaming = false;
      streamOpen = false;
    });
  }

  async function streamLoop(): Promise<void> {
    while (!rejected()) {
      const wait = await openStream();
      if (wait === null) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** One connection of the stream, read to its end; the wait before the next, or null to stop. */
  async function openStream(): Promise<number | null> {
    const controller = new AbortController();
    abort = controller;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/api/events`, {
        headers: {
          Accept: 'text/event-stream',
          ...authHeader(token()),
          ...(lastEventId !== null ? { 'Last-Event-ID': lastEventId } : {}),
        },
        cache: 'no-store',
        credentials: 'omit',
        signal: controller.signal,
      });
    } catch {
      if (controller.signal.aborted) return null;
      status.lost();
      return RETRY_MS;
    }
    if (response.status === 401) {
      void response.body?.cancel();
      status.tokenRejected();
      return null;
    }
    status.restored(); // it answered
    if (!response.ok || !response.body) {
      void response.body?.cancel();
      refusedInARow += 1;
      return streamRetryDelay(true, refusedInARow);
    }
    refusedInARow = 0;
    streamOpen = true;
    try {
      await readEventStream(response.body, deliver);
    } catch {
      // cut: the server went away, or the page stopped the stream
    }
    streamOpen = false;
    if (controller.signal.aborted || rejected()) return null;
    // As EventSource does: say so at once (the page reads everything again once it is back, since a
    // restarted server numbers its events anew), then reconnect.
    status.lost();
    return reconnectMs;
  }

  function deliver(event: SseEvent): void {
    if (event.id !== undefined) lastEventId = event.id;
    if (event.retry !== undefined) reconnectMs = event.retry;
    if (!KNOWN_EVENTS.has(event.event)) return;
    const payload: unknown = JSON.parse(event.data);
    for (const listener of listeners.get(event.event as EventName) ?? []) listener(payload);
  }

  function post(name: string, input: unknown): Promise<Response> {
    return fetch(`${baseUrl}/api/call/${name}`, {
      method: 'POST',
      credentials: 'omit', // the token is the header; no cookie means anything here
      headers: { 'Content-Type': 'application/json', ...authHeader(token()) },
      body: JSON.stringify(input ?? {}),
    });
  }

  return {
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>> {
      let response: Response;
      try {
        response = await post(name, input);
      } catch (error) {
        // An open event stream means the server is there (this one request failed on the way).
        if (!streamOpen) status.lost();
        return {
          ok: false,
          error: {
            kind: 'internal',
            message: 'DeiT Studio’s server does not answer.',
            fix: 'Check that `npm run serve` is still running (and your SSH tunnel, if you use one), then reload.',
            detail: String(error),
          },
        };
      }
      if (response.status === 401) {
        status.tokenRejected();
        abort?.abort();
      } else {
        status.restored();
      }
      return (await response.json()) as Result<CallOutput<N>>;
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
      ensureStream();
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const wrapped = listener as Listener;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}
