import { describe, expect, it } from 'vitest';
import { downsampleLttb, lttbIndices } from '../../../electron/contract/downsample';

const xy = { x: (p: { x: number; y: number }) => p.x, y: (p: { x: number; y: number }) => p.y };
const series = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ x: i, y: f(i) }));

describe('downsampleLttb', () => {
  it('returns a copy of a series that is already short enough', () => {
    const points = series(10, (i) => i);
    const out = downsampleLttb(points, 10, xy);
    expect(out).toEqual(points);
    expect(out).not.toBe(points);
  });

  it('keeps at most maxPoints, the first and the last, in order', () => {
    const points = series(10_000, (i) => Math.sin(i / 50));
    const out = downsampleLttb(points, 500, xy);
    expect(out).toHaveLength(500);
    expect(out[0]).toBe(points[0]);
    expect(out[out.length - 1]).toBe(points[points.length - 1]);
    for (let i = 1; i < out.length; i++) expect(out[i]!.x).toBeGreaterThan(out[i - 1]!.x);
  });

  it('keeps a lone spike that averaging would flatten', () => {
    const points = series(1000, (i) => (i === 437 ? 100 : 0));
    const out = downsampleLttb(points, 20, xy);
    expect(out.some((p) => p.x === 437)).toBe(true);
  });

  it('returns only original points, unchanged', () => {
    const points = series(300, (i) => (i % 7) * 1.5);
    const set = new Set(points);
    for (const p of downsampleLttb(points, 37, xy)) expect(set.has(p)).toBe(true);
  });

  it('handles tiny limits and non-finite values', () => {
    const points = series(50, (i) => (i === 3 ? Number.NaN : i));
    expect(downsampleLttb(points, 0, xy)).toEqual([]);
    expect(downsampleLttb(points, 1, xy)).toEqual([points[49]]);
    expect(downsampleLttb(points, 2, xy)).toEqual([points[0], points[49]]);
    expect(downsampleLttb(points, 3, xy)).toHaveLength(3);
  });
});

/** A plain, object-based LTTB written from the paper, to check the columnar one against. */
function referenceLttb(points: { x: number; y: number }[], threshold: number): number[] {
  const n = points.length;
  if (threshold >= n) return points.map((_, i) => i);
  const out = [0];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const rangeStart = Math.floor(i * every) + 1;
    const rangeEnd = Math.min(Math.floor((i + 1) * every) + 1, n - 1);
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    const next = points.slice(rangeEnd, Math.max(nextEnd, rangeEnd + 1));
    const avg = {
      x: next.reduce((s, p) => s + p.x, 0) / next.length,
      y: next.reduce((s, p) => s + p.y, 0) / next.length,
    };
    let best = rangeStart;
    let bestArea = -1;
    for (let j = rangeStart; j < rangeEnd; j++) {
      const pa = points[a]!;
      const pj = points[j]!;
      const area = Math.abs((pa.x - avg.x) * (pj.y - pa.y) - (pa.x - pj.x) * (avg.y - pa.y));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(best);
    a = best;
  }
  out.push(n - 1);
  return out;
}

function noisy(n: number, seed = 7) {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = i;
    ys[i] = Math.exp(-i / (n / 4)) + 0.1 * rand();
  }
  return { xs, ys };
}

describe('lttbIndices', () => {
  it('keeps every point when there are no more than asked for', () => {
    const { xs, ys } = noisy(50);
    expect(Array.from(lttbIndices(xs, ys, 50, 100))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(lttbIndices(xs, ys, 10, 100))).toHaveLength(10);
  });

  it('returns exactly maxPoints indices, increasing, first and last kept', () => {
    const { xs, ys } = noisy(10_000);
    const picked = Array.from(lttbIndices(xs, ys, 10_000, 300));
    expect(picked).toHaveLength(300);
    expect(picked[0]).toBe(0);
    expect(picked.at(-1)).toBe(9_999);
    for (let i = 1; i < picked.length; i++) expect(picked[i]!).toBeGreaterThan(picked[i - 1]!);
  });

  it('picks the same points as a plain implementation of the algorithm', () => {
    const { xs, ys } = noisy(5_003, 42);
    const points = Array.from(xs, (x, i) => ({ x, y: ys[i]! }));
    for (const threshold of [3, 17, 500, 5_002]) {
      expect(Array.from(lttbIndices(xs, ys, xs.length, threshold))).toEqual(referenceLttb(points, threshold));
    }
  });

  it('picks for columns the points downsampleLttb picks for objects, so the runs.get snapshot and live charts agree', () => {
    const { xs, ys } = noisy(20_000, 3);
    const points = Array.from(xs, (x, i) => ({ x, y: ys[i]! }));
    const core = downsampleLttb(points, 700, { x: (p) => p.x, y: (p) => p.y });
    expect(Array.from(lttbIndices(xs, ys, xs.length, 700), (i) => points[i])).toEqual(core);
  });

  it('keeps a single spike that a naive every-nth decimation would drop', () => {
    const n = 100_000;
    const xs = Float64Array.from({ length: n }, (_, i) => i);
    const ys = new Float64Array(n).fill(1);
    ys[54_321] = 50; // a loss spike
    const picked = Array.from(lttbIndices(xs, ys, n, 400));
    expect(picked).toContain(54_321);
  });

  it('only reads the first `length` points of over-allocated columns', () => {
    const xs = new Float64Array(1024);
    const ys = new Float64Array(1024).fill(Number.NaN);
    for (let i = 0; i < 500; i++) {
      xs[i] = i;
      ys[i] = i % 7;
    }
    const picked = Array.from(lttbIndices(xs, ys, 500, 50));
    expect(picked.at(-1)).toBe(499);
    expect(picked.every((i) => i < 500)).toBe(true);
  });

  it('handles tiny budgets', () => {
    const { xs, ys } = noisy(100);
    expect(Array.from(lttbIndices(xs, ys, 100, 0))).toEqual([]);
    expect(Array.from(lttbIndices(xs, ys, 100, 1))).toEqual([99]);
    expect(Array.from(lttbIndices(xs, ys, 100, 2))).toEqual([0, 99]);
  });
});
