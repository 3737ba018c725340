import { describe, expect, it } from 'vitest';
import { compareCodePoints, sortClassNames } from '../../../../../electron/core/dataset/scan/class-names';

describe('sortClassNames', () => {
  it("sorts by code point, like Python's sorted(), not by UTF-16 unit", () => {
    const names = ['b', 'a', 'é', 'Z', '😀', '\uFFFD', 'a'];
    expect(sortClassNames(names)).toEqual(['Z', 'a', 'b', 'é', '\uFFFD', '😀']);
    expect([...new Set(names)].sort()).not.toEqual(sortClassNames(names)); // the default sort differs
  });

  it('puts a prefix first', () => {
    expect(compareCodePoints('cat', 'cats')).toBeLessThan(0);
    expect(compareCodePoints('cats', 'cat')).toBeGreaterThan(0);
    expect(compareCodePoints('cat', 'cat')).toBe(0);
  });
});
