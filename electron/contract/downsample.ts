/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013): picks at most `maxPoints` of the
 * given points so that a line chart of them looks like a chart of all of them. The one LTTB of the
 * app: the core downsamples `runs.get` with `downsampleLttb`, the renderer its live series (typed-array
 * columns, renderer/src/charts/series.ts) with `lttbIndices` — the same points either way, so the
 * snapshot and the live chart agree. Pure, no Node or DOM imports.
 *
 *   const picked = lttbIndices(xs, ys, length, 700); // indices into the columns
 *   const steps = downsampleLttb(points, 700, { x: (p) => p.globalStep, y: (p) => p.loss });
 */

/** Reads the x and y value of a point. */
export interface PointAccessors<T> {
  x: (point: T) => number;
  y: (point: T) => number;
}

/**
 * Indices of at most `maxPoints` of the first `length` points, in order, first and last always kept,
 * chosen so that a line through them looks like a line through all of them. Points should be sorted by
 * x. Reads columns and returns indices, so a renderer holding 200,000 points copies none of them.
 */
export function lttbIndices(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  length: number,
  maxPoints: number,
): Uint32Array {
  const n = Math.max(0, Math.min(length, xs.length, ys.length));
  const threshold = Math.max(0, Math.floor(maxPoints));
  if (threshold >= n || n <= 2) return Uint32Array.from({ length: n }, (_, i) => i);
  if (threshold === 0) return new Uint32Array(0);
  if (threshold === 1) return Uint32Array.of(n - 1);
  if (threshold === 2) return Uint32Array.of(0, n - 1);

  const picked = new Uint32Array(threshold);
  picked[0] = 0;
  // Buckets share out points 1 … n-2; the first and the last point are buckets of their own.
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = Math.floor(bucket * every) + 1;
    const end = Math.min(Math.floor((bucket + 1) * every) + 1, n - 1);
    // The third corner of the triangle: the average of the next bucket (the last point for the last bucket).
    const nextEnd = Math.min(Math.floor((bucket + 2) * every) + 1, n);
    const count = Math.max(nextEnd - end, 1);
    let avgX = 0;
    let avgY = 0;
    for (let j = end; j < end + count; j++) {
      avgX += xs[j]!;
      avgY += ys[j]!;
    }
    avgX /= count;
    avgY /= count;
    const ax = xs[a]!;
    const ay = ys[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (ys[j]! - ay) - (ax - xs[j]!) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    picked[bucket + 1] = best;
    a = best;
  }
  picked[threshold - 1] = n - 1;
  return picked;
}

/**
 * Picks at most `maxPoints` of `points` (in their order, first and last always kept) with LTTB
 * (`lttbIndices` on their x and y). Returns a copy of the input when it is already short enough.
 * Points must be sorted by x. Non-finite y values count as 0 when choosing, but the chosen point is
 * returned unchanged.
 */
export function downsampleLttb<T>(points: readonly T[], maxPoints: number, accessors: PointAccessors<T>): T[] {
  const n = points.length;
  if (Math.floor(maxPoints) >= n || n <= 2) return points.slice();
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i] as T;
    xs[i] = accessors.x(p);
    const y = accessors.y(p);
    ys[i] = Number.isFinite(y) ? y : 0;
  }
  return Array.from(lttbIndices(xs, ys, n, maxPoints), (i) => points[i] as T);
}
