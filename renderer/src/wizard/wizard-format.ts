/** 12345 → "12,345" (the user's locale). */
export function formatCount(value: number): string {
  return new Intl.NumberFormat().format(value);
}

/** 0.2 → "20 %". */
export function formatPercent(ratio: number, digits = 0): string {
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** "1 image" / "3 images". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
