import { lttbIndices } from '@contract';
import { chartTuning } from './chart-tuning';

/** One point as a chart draws it. */
export interface ChartPoint {
  x: number;
  y: number;
}

/**
 * A growing (x, y) series kept outside React state: two typed-array columns that double when full,
 * so appending one point is O(1) and 200,000 points cost 3 MiB, not 200,000 objects.
 */
export class LiveSeries {
  private xs = new Float64Array(256);
  private ys = new Float64Array(256);
  /** Number of points. */
  length = 0;
  /** Changes whenever the points change; charts redraw on it. */
  version = 0;
  /** Smallest and largest y so far (for the text equivalent of a chart). */
  minY = Infinity;
  maxY = -Infinity;

  /** Appends a point; points with a missing or non-finite value are left out (the line bridges them). */
  push(x: number, y: number | null | undefined): void {
    if (y === null || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) return;
    if (this.length === this.xs.length) {
      const xs = new Float64Array(this.xs.length * 2);
      const ys = new Float64Array(this.ys.length * 2);
      xs.set(this.xs);
      ys.set(this.ys);
      this.xs = xs;
      this.ys = ys;
    }
    this.xs[this.length] = x;
    this.ys[this.length] = y;
    this.length += 1;
    if (y < this.minY) this.minY = y;
    if (y > this.maxY) this.maxY = y;
    this.version += 1;
  }

  /**
   * Removes the points with x above `maxX` (a resumed run trains them again); returns whether any went.
   * O(n), but only at a resume.
   */
  dropBeyond(maxX: number): boolean {
    let kept = 0;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < this.length; i++) {
      const x = this.xs[i]!;
      const y = this.ys[i]!;
      if (x > maxX) continue;
      this.xs[kept] = x;
      this.ys[kept] = y;
      kept += 1;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    if (kept === this.length) return false;
    this.length = kept;
    this.minY = minY;
    this.maxY = maxY;
    this.version += 1;
    return true;
  }

  /** Removes every point (a reloaded snapshot replaces them). */
  clear(): void {
    this.length = 0;
    this.minY = Infinity;
    this.maxY = -Infinity;
    this.version += 1;
  }

  /** The latest point, or null when empty. */
  last(): ChartPoint | null {
    if (this.length === 0) return null;
    return { x: this.xs[this.length - 1]!, y: this.ys[this.length - 1]! };
  }

  /** The point at `i` (0 ≤ i < length). */
  at(i: number): ChartPoint {
    return { x: this.xs[i]!, y: this.ys[i]! };
  }

  /**
   * The points to draw: downsampled with LTTB to at most `maxPoints` (about the plot's pixel width),
   * or every point when downsampling is turned off (the benchmark's naive baseline).
   */
  chartPoints(maxPoints: number): ChartPoint[] {
    if (!chartTuning.downsample || this.length <= maxPoints) {
      const all = new Array<ChartPoint>(this.length);
      for (let i = 0; i < this.length; i++) all[i] = { x: this.xs[i]!, y: this.ys[i]! };
      return all;
    }
    const picked = lttbIndices(this.xs, this.ys, this.length, maxPoints);
    const out = new Array<ChartPoint>(picked.length);
    for (let i = 0; i < picked.length; i++) {
      const j = picked[i]!;
      out[i] = { x: this.xs[j]!, y: this.ys[j]! };
    }
    return out;
  }
}
