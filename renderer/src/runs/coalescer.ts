import { queueFrameJob } from '../charts/frame-queue';

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
  /** Runs `fn` in a coming animation frame, just before a paint; absent: at once. */
  requestFrame?(fn: () => void): void;
}

const realClock: CoalescerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  // The frame queue gives each frame one job: a store update never shares its frame with a chart redraw.
  requestFrame: (fn) => void queueFrameJob(fn),
};

/**
 * Calls `flush` after the first request, then at most once every `intervalMs` while requests keep
 * coming: 10 trainer events a second become a few React updates, each drawing all of them. The
 * flush runs in an animation frame of its own (the frame queue), right before the paint that shows
 * it, and not at all while the window is hidden: the data keeps accumulating and appears at once
 * when it is shown again.
 */
export function createCoalescer(
  flush: () => void,
  intervalMs: number | (() => number),
  clock: CoalescerClock = realClock,
): Coalescer {
  let timer: unknown = null;
  let pending = false;
  let lastFlush = -Infinity;
  const interval = typeof intervalMs === 'function' ? intervalMs : () => intervalMs;

  function run(): void {
    if (!pending) return; // flushed meanwhile by flushNow, or cancelled
    pending = false;
    timer = null;
    lastFlush = clock.now();
    flush();
  }

  return {
    request() {
      if (pending) return;
      pending = true;
      const wait = Math.max(0, lastFlush + interval() - clock.now());
      timer = clock.setTimeout(() => {
        timer = null;
        if (clock.requestFrame) clock.requestFrame(run);
        else run();
      }, wait);
    },
    flushNow() {
      if (!pending) return;
      if (timer !== null) clock.clearTimeout(timer);
      run();
    },
    cancel() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      pending = false;
    },
  };
}
