/**
 * How live charts are fed. The defaults are what users get; the benchmark turns downsampling off
 * to measure the naive baseline with the very same components.
 */
export const chartTuning = {
  /** Downsample each series (LTTB) to about the plot's pixel width before drawing. */
  downsample: true,
  /**
   * 'path': lines are SVG paths drawn with recharts' scales (what users get); 'line': recharts
   * <Line> elements (the benchmark's baselines).
   */
  drawing: 'path' as 'path' | 'line',
  /** Milliseconds over which live events are gathered into one React update. */
  coalesceMs: 150,
  /** Least milliseconds between two redraws of one chart (the text under it follows every update). */
  minRedrawMs: 500,
};

/** Changes the chart tuning (benchmark only). */
export function setChartTuning(next: Partial<typeof chartTuning>): void {
  Object.assign(chartTuning, next);
}
