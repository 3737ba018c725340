/**
 * Compares two names by Unicode code point, the order of Python's `sorted()`, so that class indices
 * agree with the trainer. (JavaScript's default sort compares UTF-16 units, which differs for
 * characters above U+FFFF against U+E000–U+FFFF.)
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate && y >= 0xe000) return 1;
    if (ySurrogate && x >= 0xe000) return -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Class names sorted as the trainer sorts them, without repeats. */
export function sortClassNames(names: Iterable<string>): string[] {
  return [...new Set(names)].sort(compareCodePoints);
}
