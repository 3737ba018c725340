import { describe, expect, it } from 'vitest';
import { downsampleLttb } from '../../../electron/contract/downsample';

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
