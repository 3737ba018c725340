import { describe, expect, it } from 'vitest';
import { autoValCount, roundHalfEven } from '../../../../../electron/contract';
import { SLIDER_RATIOS, splitDraw, valCount } from '../../../../../electron/core/dataset/scan/split-rule';

describe("autoValCount: the trainer's n < 2 ? 0 : min(n − 1, max(1, round(n × ratio)))", () => {
  it.each([
    [0, 0.2, 0],
    [1, 0.2, 0],
    [2, 0.2, 1], // at least one
    [4, 0.1, 1],
    [7, 0.2, 1], // 1.4
    [8, 0.2, 2], // 1.6
    [10, 0.2, 2],
    [5, 0.5, 2], // 2.5 rounds to even, as Python's round() does
    [3, 0.5, 2], // 1.5 rounds to even: 2
    [7, 0.5, 4], // 3.5 rounds to even: 4
    [25, 0.1, 2], // 25 × 0.1 is exactly 2.5 in doubles: 2
    [15, 0.1, 2], // 1.5 rounds to even: 2
    [45, 0.1, 4], // 4.5 rounds to even: 4 (half up would give 5)
    [100, 0.15, 15],
    [1000, 0.2, 200],
    [2, 0.9, 1], // at most n − 1: every class keeps a training image
    [10, 0.99, 9],
  ])('n=%i ratio=%f → %i', (n, ratio, expected) => {
    expect(autoValCount(n, ratio)).toBe(expected);
  });

  it('leaves at least one image for training, and never a negative count', () => {
    for (let n = 0; n < 200; n++) {
      for (const ratio of [0.05, 0.23, 0.5, 0.95]) {
        const val = autoValCount(n, ratio);
        expect(val).toBeGreaterThanOrEqual(0);
        expect(n - val).toBeGreaterThanOrEqual(Math.min(n, 1));
      }
    }
  });
});

describe('roundHalfEven', () => {
  it("matches Python's round() on floats", () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4999999999999996, 2.5000000000000004, 7, 0].map(roundHalfEven)).toEqual([
      0, 2, 2, 4, 2, 3, 7, 0,
    ]);
  });
});

describe('the per-file split rule (the trainer’s split_draw; trainer-agreement runs both)', () => {
  it('draws a fixed number in [0, 1) per seed, class and path, spread evenly', () => {
    const draws = Array.from({ length: 4000 }, (_, i) => splitDraw(0, 'cats', `sub/${i}.jpg`));
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    expect(splitDraw(0, 'cats', 'sub/1.jpg')).toBe(draws[1]);
    expect(splitDraw(1, 'cats', 'sub/1.jpg')).not.toBe(draws[1]);
    expect(splitDraw(0, 'dogs', 'sub/1.jpg')).not.toBe(draws[1]);
    const below = (r: number) => draws.filter((d) => d < r).length / draws.length;
    for (const r of [0.1, 0.2, 0.5]) expect(Math.abs(below(r) - r)).toBeLessThan(0.03);
  });

  it('counts the draws below the share, with one val image in a class of two or more and one train image', () => {
    expect(valCount([], 0.2)).toBe(0);
    expect(valCount([0.01], 0.2)).toBe(0); // a single image trains
    expect(valCount([0.5, 0.9], 0.2)).toBe(1); // none below: one all the same
    expect(valCount([0.1, 0.15], 0.2)).toBe(1); // all below: one trains
    expect(valCount([0.1, 0.3, 0.19, 0.7], 0.2)).toBe(2);
    expect(SLIDER_RATIOS[0]).toBe(0.05);
    expect(SLIDER_RATIOS[9]).toBe(0.5);
  });
});
