import {
  calls,
  events,
  type AppErrorShape,
  type CallName,
  type CallOutput,
  type CallRequest,
  type EventName,
  type EventPayload,
  type Result,
  type StudioApi,
} from '../../../electron/contract';

/** A typed failure a fake handler throws; it crosses as `{ ok: false, error }` like the real shells'. */
export class FakeFailure extends Error {
  constructor(readonly shape: AppErrorShape) {
    super(shape.message);
  }
}

/** Makes a fake handler fail with a typed error. */
export function failWith(kind: AppErrorShape['kind'], message: string, fix?: string, detail?: string): never {
  throw new FakeFailure({ kind, message, ...(fix ? { fix } : {}), ...(detail ? { detail } : {}) });
}

export type FakeHandlers = {
  [N in CallName]?: (input: CallRequest<N>) => CallOutput<N> | Promise<CallOutput<N>>;
};

/** The in-memory API, plus what tests need to drive and inspect it. */
export interface FakeStudioApi extends StudioApi {
  /** Every call made, in order, with its validated input. */
  readonly log: Array<{ name: CallName; input: unknown }>;
  /** The inputs of one call, in order. */
  inputsOf<N extends CallName>(name: N): Array<CallRequest<N>>;
  /** Sends an event to subscribers (validated against the contract first). */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Replaces or adds handlers. */
  handle(more: FakeHandlers): void;
}

/**
 * An in-memory StudioApi at the contract boundary: inputs are validated with the contract's input
 * schemas (so the renderer cannot send what the shells would refuse) and outputs and events with
 * its output schemas (so the fakes cannot drift from the contract). A call without a handler fails
 * like a service that is not built.
 */
export function createFakeApi(initial: FakeHandlers = {}): FakeStudioApi {
  const handlers: FakeHandlers = { ...initial };
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const log: Array<{ name: CallName; input: unknown }> = [];

  return {
    log,
    inputsOf<N extends CallName>(name: N) {
      return log.filter((entry) => entry.name === name).map((entry) => entry.input as CallRequest<N>);
    },
    handle(more) {
      Object.assign(handlers, more);
    },
    emit(name, payload) {
      const parsed = events[name].payload.parse(payload);
      for (const listener of listeners.get(name) ?? []) listener(parsed);
    },
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    async call(name, input) {
      const request = calls[name].input.parse(input);
      log.push({ name, input: request });
      const handler = handlers[name] as ((input: unknown) => unknown) | undefined;
      if (!handler) {
        return {
          ok: false,
          error: { kind: 'not_available', message: `${name} is not available in this version of DeiT Studio.` },
        } as Result<never>;
      }
      try {
        const value = calls[name].output.parse(await handler(request));
        return { ok: true, value } as Result<never>;
      } catch (error) {
        if (error instanceof FakeFailure) return { ok: false, error: error.shape } as Result<never>;
        throw error; // a schema error in the test's own data: fail the test loudly
      }
    },
  };
}

/** A promise the test resolves when it wants (for loading states). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
