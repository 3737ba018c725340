/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013) over columnar arrays.
 *
 * The renderer keeps live series as typed-array columns (see series.ts), so this variant reads the
 * columns directly and returns indices instead of copying 200,000 objects on every update.
 * (electron/contract/downsample.ts, planned by the runs engine, does the same for arrays of objects.)
 */

/**
 * Indices of at most `maxPoints` of the first `length` points, in order, first and last always kept,
 * chosen so that a line through them looks like a line through all of them. Points should be sorted by x.
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
