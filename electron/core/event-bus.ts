import type { EventName, EventPayload } from '../contract';

/** A listener that receives every event, for shells that forward all of them. */
export type AnyEventListener = (name: EventName, payload: unknown) => void;

/** Typed publish/subscribe between core services and the shells. Synchronous, in order. */
export class EventBus {
  private readonly listeners = new Set<AnyEventListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(name, payload);
      } catch {
        // A broken subscriber (e.g. a closed window) must not stop the others.
      }
    }
  }

  /** Subscribes to all events; returns the unsubscribe function. */
  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to one event stream; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.subscribe((n, p) => {
      if (n === name) listener(p as EventPayload<E>);
    });
  }
}
