/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013): picks at most `maxPoints` of the
 * given points so that a line chart of them looks like a chart of all of them. Used by the core for
 * `runs.get` and by the renderer for live series. Pure, no Node or DOM imports.
 */

/** Reads the x and y value of a point. */
export interface PointAccessors<T> {
  x: (point: T) => number;
  y: (point: T) => number;
}

/**
 * Picks at most `maxPoints` of `points` (in their order, first and last always kept) with LTTB.
 * Returns the input itself when it is already short enough. Points must be sorted by x.
 * Non-finite y values count as 0 when choosing, but the chosen point is returned unchanged.
 */
export function downsampleLttb<T>(points: readonly T[], maxPoints: number, accessors: PointAccessors<T>): T[] {
  const n = points.length;
  const threshold = Math.floor(maxPoints);
  if (threshold >= n || n <= 2) return points.slice();
  if (threshold <= 0) return [];
  if (threshold === 1) return [points[n - 1] as T];
  if (threshold === 2) return [points[0] as T, points[n - 1] as T];
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i] as T;
    xs[i] = accessors.x(p);
    const y = accessors.y(p);
    ys[i] = Number.isFinite(y) ? y : 0;
  }
  const picked: T[] = [points[0] as T];
  // Buckets cover points 1 … n-2; the first and last points are their own buckets.
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = Math.floor(bucket * every) + 1;
    const end = Math.min(Math.floor((bucket + 1) * every) + 1, n - 1);
    // Average of the next bucket (the last point when this is the last bucket).
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    const count = Math.max(nextEnd - nextStart, 1);
    for (let j = nextStart; j < nextStart + count; j++) {
      avgX += xs[j] as number;
      avgY += ys[j] as number;
    }
    avgX /= count;
    avgY /= count;
    const ax = xs[a] as number;
    const ay = ys[a] as number;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * ((ys[j] as number) - ay) - (ax - (xs[j] as number)) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    picked.push(points[best] as T);
    a = best;
  }
  picked.push(points[n - 1] as T);
  return picked;
}
