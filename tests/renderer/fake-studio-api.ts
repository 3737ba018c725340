import {
  calls,
  events,
  type AppErrorShape,
  type CallInput,
  type CallName,
  type CallOutput,
  type CallRequest,
  type EventName,
  type EventPayload,
  type Result,
  type StudioApi,
} from '../../electron/contract';

type Handler<N extends CallName> = (request: CallRequest<N>) => Result<CallOutput<N>> | Promise<Result<CallOutput<N>>>;

/** Handlers that return the value itself (or throw `failWith(...)`), by call name. */
export type FakeHandlers = {
  [N in CallName]?: (input: CallRequest<N>) => CallOutput<N> | Promise<CallOutput<N>>;
};

/** A handler answer: a value, or a typed error. */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: AppErrorShape): Result<never> => ({ ok: false, error });

/** A typed failure a value handler throws; it crosses as `{ ok: false, error }` like the real shells'. */
export class FakeFailure extends Error {
  constructor(readonly shape: AppErrorShape) {
    super(shape.message);
  }
}

/** Makes a value handler fail with a typed error. */
export function failWith(kind: AppErrorShape['kind'], message: string, fix?: string, detail?: string): never {
  throw new FakeFailure({ kind, message, ...(fix ? { fix } : {}), ...(detail ? { detail } : {}) });
}

/**
 * An in-memory StudioApi for component tests: the contract boundary only. Every request, response
 * and event is parsed with the contract's zod schemas, so fakes cannot drift from what the real
 * shells carry (an invalid one throws and fails the test). A call without a handler fails like a
 * service that is not there.
 */
export class FakeStudioApi implements StudioApi {
  /** Every call made, in order, with its validated input. */
  readonly requests: { name: CallName; input: unknown }[] = [];
  private readonly handlers = new Map<CallName, Handler<CallName>>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  /** Answers `name` with `handler` (returning a Result) from now on. */
  handle<N extends CallName>(name: N, handler: Handler<N>): this {
    this.handlers.set(name, handler as unknown as Handler<CallName>);
    return this;
  }

  /** Replaces or adds handlers that return plain values (or throw `failWith(...)`). */
  answer(handlers: FakeHandlers): this {
    for (const [name, handler] of Object.entries(handlers) as [CallName, (input: unknown) => unknown][]) {
      this.handlers.set(name, async (request) => {
        try {
          return ok((await handler(request)) as CallOutput<CallName>);
        } catch (error) {
          if (error instanceof FakeFailure) return fail(error.shape);
          throw error;
        }
      });
    }
    return this;
  }

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>> {
    const request = calls[name].input.parse(input) as CallRequest<N>;
    this.requests.push({ name, input: request });
    const handler = this.handlers.get(name) as Handler<N> | undefined;
    if (!handler) {
      return fail({ kind: 'not_available', message: `${name} is not faked in this test.` }) as Result<CallOutput<N>>;
    }
    const result = await handler(request);
    if (!result.ok) return result;
    // Through JSON like the real shells, then validated like a real response.
    const value = calls[name].output.parse(JSON.parse(JSON.stringify(result.value))) as CallOutput<N>;
    return { ok: true, value };
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  /** Sends an event to every subscriber, validated by the contract. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const parsed = events[name].payload.parse(payload);
    for (const listener of [...(this.listeners.get(name) ?? [])]) listener(parsed);
  }

  /** Number of live subscriptions to `name` (to check unmount cleans up). */
  listenerCount(name: EventName): number {
    return this.listeners.get(name)?.size ?? 0;
  }

  /** How many times `name` was called. */
  count(name: CallName): number {
    return this.requests.filter((r) => r.name === name).length;
  }

  /** The validated inputs of one call, in order. */
  inputsOf<N extends CallName>(name: N): Array<CallRequest<N>> {
    return this.requests.filter((r) => r.name === name).map((r) => r.input as CallRequest<N>);
  }
}

/** A fake API answering with plain-value handlers. */
export function createFakeApi(handlers: FakeHandlers = {}): FakeStudioApi {
  return new FakeStudioApi().answer(handlers);
}

/** A promise the test resolves when it wants (for loading states). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
