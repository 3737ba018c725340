import { memo, useMemo } from 'react';
import { DOTS_UP_TO, niceDomain, niceTicks, wholeTicks } from '../../charts/nice-domain';
import { useElementWidth } from '../../charts/use-element-width';

/** One run's line: its points (y null = no value there: the line breaks), colour and dash. */
export interface CompareLine {
  runId: string;
  name: string;
  color: string;
  dash?: string;
  points: ReadonlyArray<readonly [number, number | null]>;
}

export interface CompareChartProps {
  title: string;
  xLabel: string;
  lines: readonly CompareLine[];
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  /** An x value in the text under the chart ("epoch 10"); `formatX` when absent. */
  describeX?: (x: number) => string;
  /** Which value is the best one to name in the text ("best 0.31"). */
  best: 'min' | 'max';
  /** x counts whole things (epochs): ticks on whole numbers only. */
  xWhole?: boolean;
  /** Fixed y range (accuracy: 0–1); from the data when absent. */
  yRange?: [number, number];
}

/** The drawing's width where it cannot be measured (jsdom): the SVG then scales to its box. */
const FALLBACK_WIDTH = 640;
const H = 220;
const M = { left: 52, right: 12, top: 10, bottom: 30 };

/** Runs' colours and dashes: colour is never the only cue (the legend repeats the dash). */
export const RUN_COLORS = [
  '#2f81f7',
  '#e0691a',
  '#1f9d55',
  '#a855f7',
  '#d4387f',
  '#0e9aa7',
  '#8a6d00',
  '#6e7781',
  '#c2410c',
  '#4338ca',
];
export const RUN_DASHES = [undefined, '6 3', '2 3', '9 3 2 3', '1 2'];

/**
 * Several runs on one pair of shared axes, as a static SVG drawn once per data change: a comparison's
 * data does not stream, so there is no live machinery here (10 runs × 100 epochs is 1,000 points a
 * chart, drawn as one path per run). The SVG is aria-hidden; each run's last and best values are
 * written under it, which is what screen readers read.
 */
export const CompareChart = memo(function CompareChart(props: CompareChartProps) {
  const { title, xLabel, lines, formatX, formatY, best, yRange, xWhole = false, describeX = formatX } = props;
  // Drawn at the figure's own width, so labels keep their size (a viewBox of another width would scale them).
  const [ref, measured] = useElementWidth<HTMLElement>();
  const W = measured > 0 ? measured : FALLBACK_WIDTH;
  const frame = useMemo(() => chartFrame(lines, yRange, xWhole), [lines, yRange, xWhole]);
  const hasPoints = lines.some((line) => line.points.some(([, y]) => y !== null));
  const sx = (x: number) => M.left + ((x - frame.x[0]) / (frame.x[1] - frame.x[0] || 1)) * (W - M.left - M.right);
  const sy = (y: number) => M.top + (1 - (y - frame.y[0]) / (frame.y[1] - frame.y[0] || 1)) * (H - M.top - M.bottom);
  return (
    <figure className="compare-chart" ref={ref}>
      <figcaption className="compare-chart-title">{title}</figcaption>
      {hasPoints ? (
        <svg viewBox={`0 0 ${W} ${H}`} className="compare-chart-svg" aria-hidden="true" focusable="false">
          <g className="compare-axis">
            {frame.yTicks.map((t) => (
              <g key={`y${t}`}>
                <line x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} className="compare-grid" />
                <text x={M.left - 6} y={sy(t)} dy="0.32em" textAnchor="end">
                  {formatY(t)}
                </text>
              </g>
            ))}
            {frame.xTicks.map((t) => (
              <text key={`x${t}`} x={sx(t)} y={H - M.bottom + 16} textAnchor="middle">
                {formatX(t)}
              </text>
            ))}
            <text x={(M.left + W - M.right) / 2} y={H - 2} textAnchor="middle" className="compare-axis-label">
              {xLabel}
            </text>
          </g>
          {lines.map((line) => (
            <g key={line.runId}>
              <path
                data-run={line.runId}
                d={pathOf(line.points, sx, sy)}
                fill="none"
                stroke={line.color}
                strokeWidth={2}
                strokeDasharray={line.dash}
              />
              {/* A dot at each point of a short series: one epoch alone draws no line. */}
              {line.points.length <= DOTS_UP_TO &&
                line.points.map(([x, y]) =>
                  y === null ? null : (
                    <circle key={x} className="compare-dot" cx={sx(x)} cy={sy(y)} r={3} fill={line.color} />
                  ),
                )}
            </g>
          ))}
        </svg>
      ) : (
        <p className="muted">No values yet.</p>
      )}
      <ul className="compare-legend">
        {lines.map((line) => (
          <li key={line.runId}>
            <svg width="28" height="10" aria-hidden="true" focusable="false">
              <line x1="0" x2="28" y1="5" y2="5" stroke={line.color} strokeWidth={2} strokeDasharray={line.dash} />
            </svg>{' '}
            {line.name}: {summaryText(line, describeX, formatY, best)}
          </li>
        ))}
      </ul>
    </figure>
  );
});

/** The axes' ranges and ticks over every run's points. */
function chartFrame(lines: readonly CompareLine[], yRange: [number, number] | undefined, xWhole: boolean) {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const line of lines) {
    for (const [x, y] of line.points) {
      if (y === null) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  const x = Number.isFinite(x0) ? niceDomain(Math.min(0, x0), x1) : ([0, 1] as [number, number]);
  const y = yRange ?? (Number.isFinite(y0) ? niceDomain(Math.min(0, y0), y1) : ([0, 1] as [number, number]));
  const xTicks = xWhole ? wholeTicks(x[0], x[1], 5) : niceTicks(x[0], x[1], 5);
  return { x, y, xTicks, yTicks: niceTicks(y[0], y[1], 4) };
}

/** One SVG path; a null value ends a segment and the next value starts a new one. */
function pathOf(points: CompareLine['points'], sx: (x: number) => number, sy: (y: number) => number): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (y === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** "last 0.31 at epoch 10, best 0.29 at epoch 8" — the chart for screen readers. */
function summaryText(
  line: CompareLine,
  formatX: (x: number) => string,
  formatY: (y: number) => string,
  best: 'min' | 'max',
): string {
  const valued = line.points.filter((p): p is readonly [number, number] => p[1] !== null);
  const last = valued[valued.length - 1];
  if (!last) return 'no values yet';
  let top = last;
  for (const p of valued) if (best === 'min' ? p[1] < top[1] : p[1] > top[1]) top = p;
  return `last ${formatY(last[1])} at ${formatX(last[0])}, ${best === 'min' ? 'lowest' : 'best'} ${formatY(top[1])} at ${formatX(top[0])}`;
}
