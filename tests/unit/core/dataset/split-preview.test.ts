import { describe, expect, it } from 'vitest';
import { autoSplit, autoValCount } from '../../../../electron/core/dataset/split-preview';

describe('autoValCount: n ≥ 2 ? max(1, floor(n × ratio + 0.5)) : 0', () => {
  it.each([
    [0, 0.2, 0],
    [1, 0.2, 0],
    [2, 0.2, 1], // at least one
    [4, 0.1, 1],
    [7, 0.2, 1], // 1.4
    [8, 0.2, 2], // 1.6
    [10, 0.2, 2],
    [5, 0.5, 3], // 2.5 rounds half up (Python's round() would give 2)
    [3, 0.5, 2], // 1.5
    [100, 0.15, 15],
    [1000, 0.2, 200],
  ])('n=%i ratio=%f → %i', (n, ratio, expected) => {
    expect(autoValCount(n, ratio)).toBe(expected);
  });

  it('keeps every image: train + val = n', () => {
    for (let n = 0; n < 200; n++) {
      const { train, val } = autoSplit(n, 0.23);
      expect(train + val).toBe(n);
      expect(train).toBeGreaterThanOrEqual(n >= 2 ? 1 : n);
    }
  });
});
