import { describe, expect, it } from 'vitest';
import { roundHalfEven } from '../../../../electron/contract';
import { autoSplit, autoValCount } from '../../../../electron/core/dataset/split-preview';

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

  it('keeps every image and at least one for training: train + val = n', () => {
    for (let n = 0; n < 200; n++) {
      for (const ratio of [0.05, 0.23, 0.5, 0.95]) {
        const { train, val } = autoSplit(n, ratio);
        expect(train + val).toBe(n);
        expect(train).toBeGreaterThanOrEqual(Math.min(n, 1));
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
