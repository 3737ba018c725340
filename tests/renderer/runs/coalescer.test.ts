import { createCoalescer, type CoalescerClock } from '../../../renderer/src/runs/coalescer';

/** A clock the test moves by hand. */
function fakeClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: CoalescerClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      now = due.at;
      timers = timers.filter((t) => t !== due);
      due.fn();
    }
    now = until;
  };
  return { clock, advance, pending: () => timers.length };
}

describe('createCoalescer', () => {
  it('merges a burst of requests into one flush', () => {
    const { clock, advance } = fakeClock();
    const flush = vi.fn();
    const c = createCoalescer(flush, 150, clock);
    for (let i = 0; i < 50; i++) c.request();
    expect(flush).not.toHaveBeenCalled();
    advance(0);
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('flushes at most once per interval while events keep coming (10 events/s → about 7 flushes/s at 150 ms)', () => {
    const { clock, advance } = fakeClock();
    const flush = vi.fn();
    const c = createCoalescer(flush, 150, clock);
    for (let t = 0; t < 1000; t += 100) {
      c.request();
      advance(100);
    }
    advance(200);
    expect(flush.mock.calls.length).toBeGreaterThanOrEqual(6);
    expect(flush.mock.calls.length).toBeLessThanOrEqual(8);
  });

  it('never flushes twice within the interval', () => {
    const { clock, advance } = fakeClock();
    const times: number[] = [];
    const c = createCoalescer(() => times.push(clock.now()), 150, clock);
    for (let t = 0; t < 2000; t += 7) {
      c.request();
      advance(7);
    }
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(150);
  });

  it('flushNow runs a pending flush at once; cancel drops it', () => {
    const { clock, advance, pending } = fakeClock();
    const flush = vi.fn();
    const c = createCoalescer(flush, 150, clock);
    c.flushNow();
    expect(flush).not.toHaveBeenCalled();
    c.request();
    c.flushNow();
    expect(flush).toHaveBeenCalledTimes(1);
    expect(pending()).toBe(0);
    c.request();
    c.cancel();
    advance(1000);
    expect(flush).toHaveBeenCalledTimes(1);
  });
});
