import {
  EVENT_NAMES,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload,
  type Result,
  type StudioApi,
} from '../../../electron/contract';

type Listener = (payload: unknown) => void;

/**
 * The API over HTTP, for serve mode: calls are POSTs to /api/call/<name>; events arrive over one
 * EventSource (which reconnects by itself and resumes with Last-Event-ID). The session cookie
 * set when the user opened the printed address carries the token.
 */
export function createHttpApi(baseUrl = ''): StudioApi {
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;

  function ensureSource(): void {
    if (source || typeof EventSource === 'undefined') return;
    source = new EventSource(`${baseUrl}/api/events`, { withCredentials: true });
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (message) => {
        const payload: unknown = JSON.parse((message as MessageEvent<string>).data);
        for (const listener of listeners.get(name) ?? []) listener(payload);
      });
    }
  }

  return {
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>> {
      try {
        const response = await fetch(`${baseUrl}/api/call/${name}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
        return (await response.json()) as Result<CallOutput<N>>;
      } catch (error) {
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
