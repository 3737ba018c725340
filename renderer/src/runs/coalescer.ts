/** Gathers many requests into one call of `flush`, at most once per interval. */
export interface Coalescer {
  /** Asks for a flush; requests made before it happens are merged into it. */
  request(): void;
  /** Flushes now if a request is pending. */
  flushNow(): void;
  /** Drops a pending flush (on unmount). */
  cancel(): void;
}

/** The clock a coalescer uses; tests pass a fake one. */
export interface CoalescerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: CoalescerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Calls `flush` after the first request, then at most once every `intervalMs` while requests keep
 * coming: 10 trainer events a second become a handful of React updates, each drawing all of them.
 * The first flush after a quiet spell is still deferred to a task so a burst in one tick merges.
 */
export function createCoalescer(
  flush: () => void,
  intervalMs: number | (() => number),
  clock: CoalescerClock = realClock,
): Coalescer {
  let handle: unknown = null;
  let lastFlush = -Infinity;
  const interval = typeof intervalMs === 'function' ? intervalMs : () => intervalMs;

  function run(): void {
    handle = null;
    lastFlush = clock.now();
    flush();
  }

  return {
    request() {
      if (handle !== null) return;
      const wait = Math.max(0, lastFlush + interval() - clock.now());
      handle = clock.setTimeout(run, wait);
    },
    flushNow() {
      if (handle === null) return;
      clock.clearTimeout(handle);
      run();
    },
    cancel() {
      if (handle !== null) clock.clearTimeout(handle);
      handle = null;
    },
  };
}
