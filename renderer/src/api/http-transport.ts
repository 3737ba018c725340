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

type Listener = (payload: unknown) => void;

/** How long to wait before opening the event stream again when the server does not answer. */
const RETRY_MS = 2000;
/** The longest wait between attempts when the server answers calls but closes the stream (e.g. 503: too many tabs). */
const MAX_REFUSED_RETRY_MS = 30_000;

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
 * EventSource (which reconnects by itself and resumes with Last-Event-ID). The session cookie
 * set when the user opened the printed address carries the token.
 *
 * It also tells `status` whether the server can be reached: a call or the event stream that cannot
 * reach it → lost; an answer → restored; a 401 (the server restarted with a new token, so this page's
 * cookie no longer works) → token rejected, and the event stream is not opened again.
 */
export function createHttpApi(baseUrl = '', status: ConnectionStatus = pageConnection): StudioApi {
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  /** Stream closures in a row while calls still answered; reset when the stream opens. */
  let refusedInARow = 0;

  function ensureSource(): void {
    if (source || retry || typeof EventSource === 'undefined' || status.get().state === 'token_rejected') return;
    const opened = new EventSource(`${baseUrl}/api/events`, { withCredentials: true });
    source = opened;
    opened.addEventListener('open', () => {
      refusedInARow = 0;
      status.restored();
    });
    opened.addEventListener('error', () => {
      // CONNECTING: the browser reconnects by itself. CLOSED: it gave up (the server answered with
      // an error, e.g. 401, or could not be reached): find out which, then open it again or stop.
      if (opened.readyState === opened.CLOSED) {
        if (source === opened) source = null;
        void diagnose();
      } else {
        status.lost();
      }
    });
    for (const name of EVENT_NAMES) {
      opened.addEventListener(name, (message) => {
        const payload: unknown = JSON.parse((message as MessageEvent<string>).data);
        for (const listener of listeners.get(name) ?? []) listener(payload);
      });
    }
  }

  async function diagnose(): Promise<void> {
    const answer = await post('app.info', {}).catch(() => null);
    if (answer?.status === 401) return status.tokenRejected();
    if (!answer) status.lost();
    else refusedInARow += 1;
    retry = setTimeout(
      () => {
        retry = null;
        ensureSource();
      },
      streamRetryDelay(Boolean(answer), refusedInARow),
    );
  }

  function post(name: string, input: unknown): Promise<Response> {
    return fetch(`${baseUrl}/api/call/${name}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
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
        if (!(source && source.readyState === source.OPEN)) status.lost();
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
        source?.close();
        source = null;
      } else {
        status.restored();
      }
      return (await response.json()) as Result<CallOutput<N>>;
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
      ensureSource();
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const wrapped = listener as Listener;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}
