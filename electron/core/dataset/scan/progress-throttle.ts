/** Emits at most one value per interval from a stream of updates; forced values always go out. */
export interface Throttle {
  /** An update: emitted only if the interval has passed since the last emit. */
  tick(): void;
  /** Emits now (phase changes, the end). */
  force(): void;
}

/** A throttle that calls `emit` (which builds the current value) at most once per `intervalMs`, plus on `force`. */
export function createThrottle(intervalMs: number, emit: () => void, now: () => number = Date.now): Throttle {
  let last = -Infinity;
  return {
    tick() {
      const t = now();
      if (t - last >= intervalMs) {
        last = t;
        emit();
      }
    },
    force() {
      last = now();
      emit();
    },
  };
}
