import type { z } from 'zod';
import { appCalls } from './app';
import { compareCalls } from './compare';
import { datasetCalls, datasetEvents } from './dataset';
import { downloadCalls } from './downloads';
import { engineCalls } from './engines';
import { environmentCalls, environmentEvents } from './environment';
import type { Result } from './errors';
import { imageCalls, imageEvents } from './image';
import { predictionCalls, predictionEvents } from './predictions';
import { runCalls, runEvents } from './runs';
import { weightsCalls } from './weights';

/**
 * The API contract: every call the UI can make and every event it can receive.
 * Adding a call here is the only step needed for both shells and the renderer to carry it
 * (the core must implement it, which the type checker enforces through `Handlers`).
 */
export const calls = {
  ...appCalls,
  ...environmentCalls,
  ...imageCalls,
  ...datasetCalls,
  ...runCalls,
  ...predictionCalls,
  ...weightsCalls,
  ...downloadCalls,
  ...compareCalls,
  ...engineCalls,
};

export const events = {
  ...environmentEvents,
  ...imageEvents,
  ...datasetEvents,
  ...runEvents,
  ...predictionEvents,
};

export type Calls = typeof calls;
export type Events = typeof events;
export type CallName = keyof Calls;
export type EventName = keyof Events;
/** What a caller passes (defaults may be omitted). */
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
/** What a handler receives (validated, defaults filled in). */
export type CallRequest<N extends CallName> = z.output<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

/** The core implements one handler per call; shells only validate, route and transport. */
export type Handlers = { [N in CallName]: (request: CallRequest<N>) => Promise<CallOutput<N>> };

/** What the renderer sees, whichever shell carries it. */
export interface StudioApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>>;
  /** Subscribes to an event stream; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export const CALL_NAMES = Object.keys(calls) as CallName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}

export * from './errors';
export * from './app';
export * from './environment';
export * from './image';
export * from './dataset';
export * from './runs';
export * from './predictions';
export * from './weights';
export * from './downloads';
export * from './compare';
export * from './engines';
export * from './run-config';
export * from './trainer-protocol';
export * from './batch-rule';
export * from './duration';
export * from './downsample';
export * from './processor-defaults';
export * from './gpu-use';
export type * from './desktop-bridge';
