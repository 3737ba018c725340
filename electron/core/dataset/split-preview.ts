/**
 * Validation images the automatic split takes from a class of `n` images: none from a class of 0 or 1,
 * at least one otherwise, else n × ratio rounded half up. The trainer applies the same rule
 * (Python: `math.floor(n * ratio + 0.5)`, not `round`, which rounds halves to even).
 */
export function autoValCount(n: number, ratio: number): number {
  return n >= 2 ? Math.max(1, Math.floor(n * ratio + 0.5)) : 0;
}

/** Train and validation counts of one class under the automatic split. */
export function autoSplit(n: number, ratio: number): { train: number; val: number } {
  const val = autoValCount(n, ratio);
  return { train: n - val, val };
}
