import { describe, expect, it } from 'vitest';
import { createLimiter, forEachBounded } from '../../../../../electron/core/dataset/scan/bounded-pool';
import { KeepLowest } from '../../../../../electron/core/dataset/scan/class-tally';
import { createThrottle } from '../../../../../electron/core/dataset/scan/progress-throttle';
import { SkipLog } from '../../../../../electron/core/dataset/scan/skip-log';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('bounded concurrency', () => {
  it('forEachBounded never has more than the limit in flight and visits every index once', async () => {
    let active = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBounded(100, 7, async (i) => {
      active += 1;
      peak = Math.max(peak, active);
      await tick();
      seen.push(i);
      active -= 1;
    });
    expect(peak).toBe(7);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('createLimiter holds tasks beyond the limit until one finishes', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        limit(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await tick();
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});

describe('createThrottle', () => {
  it('emits at most once per interval, and always when forced', () => {
    let now = 0;
    let emitted = 0;
    const throttle = createThrottle(
      100,
      () => (emitted += 1),
      () => now,
    );
    for (now = 0; now < 1000; now += 10) throttle.tick();
    expect(emitted).toBe(10);
    throttle.force();
    throttle.force();
    expect(emitted).toBe(12);
  });
});

describe('SkipLog', () => {
  it('caps the list by path, never silently: the total and the count per reason stay whole', () => {
    const log = new SkipLog();
    for (let i = 0; i < 250; i++)
      log.add(`f${String(i).padStart(3, '0')}.txt`, 'not_image', 'not an image file (.txt)');
    log.add('.DS_Store', 'hidden', 'hidden file');
    const summary = log.summary(200);
    expect(summary.skipped).toHaveLength(200);
    expect(summary.skipped[0]!.path).toBe('.DS_Store');
    expect(summary.skippedTotal).toBe(251);
    expect(summary.skippedByCode).toEqual([
      { code: 'not_image', count: 250 },
      { code: 'hidden', count: 1 },
    ]);
    expect(log.notable(2)).toEqual({ count: 250, examples: ['f000.txt', 'f001.txt'] });
  });
});

describe('KeepLowest', () => {
  it('keeps the lowest ranks whatever the order of arrival', () => {
    const orders = [
      [5, 1, 4, 2, 3],
      [3, 2, 1, 5, 4],
    ];
    for (const order of orders) {
      const keep = new KeepLowest<string>(2);
      for (const rank of order) keep.add(`r${rank}`, rank);
      expect(keep.values().sort()).toEqual(['r1', 'r2']);
    }
  });
});
