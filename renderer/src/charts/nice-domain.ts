/** An axis range. */
export type Domain = [number, number];

/** A round step near `span / count`: 1, 2, 2.5 or 5 × 10^k. */
export function niceStep(span: number, count: number): number {
  const raw = Math.abs(span) / Math.max(1, count);
  if (!Number.isFinite(raw) || raw === 0) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * `[min, max]` widened to whole round steps. The axis then stays put while the data moves inside
 * it, and the chart's frame (axes, ticks) redraws only when the data crosses a step.
 */
export function niceDomain(min: number, max: number, count = 4): Domain {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    return niceDomain(min - pad, max + pad, count);
  }
  const step = niceStep(max - min, count);
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step];
}

/** Round ticks inside [lo, hi]: multiples of a nice step (0, 50k, 100k… not 52.5k, 105k…). */
export function niceTicks(lo: number, hi: number, count = 4): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return [];
  const step = niceStep(hi - lo, count);
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step); i * step <= hi + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/**
 * Ticks on whole numbers only, for axes whose values are counts (epochs): a one-epoch run gets
 * 0 and 1, not 0.25, 0.5, 0.75. The step is the nice step, at least 1 (2.5 becomes 2).
 */
export function wholeTicks(lo: number, hi: number, count = 4): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return [];
  const nice = niceStep(hi - lo, count);
  const step = nice < 1 ? 1 : nice === 2.5 ? 2 : nice;
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step); i * step <= hi + 1e-9; i++) ticks.push(i * step);
  return ticks;
}

/** Series with at most this many drawn points get a dot at each: one point alone draws no line. */
export const DOTS_UP_TO = 30;

const MINUTE = 60;
const TIME_STEPS = [1, 5, 10, 15, 30].map((m) => m * MINUTE).concat([1, 2, 3, 6, 12, 24].map((h) => h * 3600));

/** A clock-friendly step (1, 5, 10, 15, 30 min; 1, 2, 3, 6, 12, 24 h) near `span / count` seconds. */
export function niceTimeStep(spanS: number, count: number): number {
  const raw = spanS / Math.max(1, count);
  return TIME_STEPS.find((step) => step >= raw) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
}

/**
 * A time range (unix seconds) widened to whole clock steps in local time, with its ticks:
 * 8 hours of samples get ticks every 2 hours on the hour.
 */
export function niceTimeDomain(first: number, last: number, count = 4): { domain: Domain; ticks: number[] } {
  if (!Number.isFinite(first) || !Number.isFinite(last)) return { domain: [0, 1], ticks: [] };
  const step = niceTimeStep(Math.max(last - first, MINUTE), count);
  // Align steps to the local clock, not to UTC (a 2 h step falls on even local hours).
  const offset = -new Date(first * 1000).getTimezoneOffset() * 60;
  const lo = Math.floor((first + offset) / step) * step - offset;
  let hi = Math.ceil((last + offset) / step) * step - offset;
  if (hi <= lo) hi = lo + step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + 1e-6; t += step) ticks.push(t);
  return { domain: [lo, hi], ticks };
}
