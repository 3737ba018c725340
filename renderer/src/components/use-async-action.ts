import { useCallback, useRef, useState } from 'react';
import type { AppErrorShape, Result } from '@contract';

/** A button's call in flight: busy while it runs, its typed error afterwards. */
export interface AsyncAction {
  busy: boolean;
  error: AppErrorShape | null;
  /** Runs `call` unless one is already running; resolves to its value, or undefined on error. */
  run<T>(call: () => Promise<Result<T>>): Promise<T | undefined>;
  clearError(): void;
}

/** State for one user action that calls the API (stop, resume, delete, retry). */
export function useAsyncAction(): AsyncAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorShape | null>(null);
  // A ref, not state, so a double click cannot start the call twice before React re-renders.
  const running = useRef(false);
  const run = useCallback(async <T>(call: () => Promise<Result<T>>): Promise<T | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      const result = await call();
      if (result.ok) return result.value;
      setError(result.error);
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
