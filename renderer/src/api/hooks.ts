import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import type { AppErrorShape, CallInput, CallName, CallOutput, EventName, EventPayload } from '@contract';
import { api } from './api';
import { useConnection } from './connection';

export interface CallState<T> {
  /** The latest value; kept while a reload is in flight. */
  data: T | undefined;
  error: AppErrorShape | undefined;
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  key: string;
  data?: T;
  error?: AppErrorShape;
}

/**
 * Calls the API when mounted and whenever the input (or `key`) changes, and again when the
 * connection to the server comes back after a loss (what it said may have changed meanwhile);
 * returns data, typed error and a reload.
 */
export function useCall<N extends CallName>(name: N, input: CallInput<N>, key = ''): CallState<CallOutput<N>> {
  const [nonce, setNonce] = useState(0);
  const { recoveries } = useConnection();
  const inputJson = JSON.stringify(input ?? {});
  const requestKey = `${name}\u0000${inputJson}\u0000${key}\u0000${nonce}\u0000${recoveries}`;
  const [settled, setSettled] = useState<Settled<CallOutput<N>>>({ key: '' });
  useEffect(() => {
    let live = true;
    void api()
      .call(name, JSON.parse(inputJson) as CallInput<N>)
      .then((result) => {
        if (!live) return;
        setSettled(result.ok ? { key: requestKey, data: result.value } : { key: requestKey, error: result.error });
      });
    return () => {
      live = false;
    };
  }, [name, inputJson, requestKey]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data: settled.data, error: settled.error, loading: settled.key !== requestKey, reload };
}

/** Subscribes to an event stream while mounted; the latest `listener` is always the one called. */
export function useEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): void {
  const onEvent = useEffectEvent(listener);
  useEffect(() => api().on(name, (payload) => onEvent(payload)), [name]);
}
