import { createContext, memo, useContext, useMemo } from 'react';
import { Line, LineChart, XAxis, YAxis, useXAxisScale, useYAxisScale, type ScaleFunction } from 'recharts';
import { makeAxisTick } from './axis-tick';
import { chartTuning } from './chart-tuning';
import type { ChartLine } from './LiveLineChart';
import { DOTS_UP_TO, type Domain } from './nice-domain';
import type { ChartPoint } from './series';

/** Width of the y-axis labels, px. */
export const Y_AXIS_WIDTH = 56;
/** Space around the plot, px. */
export const PLOT_MARGIN = { top: 8, right: 22, bottom: 4, left: 0 };

/**
 * The points of each line, passed by context: new points re-render only the lines, not the
 * recharts chart around them (each re-render of which makes recharts re-dispatch all its state).
 */
export const PlotData = createContext<ChartPoint[][]>([]);

/** The recharts part of a live chart: its frame is memoised and redraws only on a new size or axis range. */
export interface ChartPlotProps {
  lines: readonly ChartLine[];
  width: number;
  height: number;
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  xDomain: Domain;
  yDomain: Domain;
  /** Round tick values (computed with the ranges, so recharts need not). */
  xTicks: number[];
  yTicks: number[];
}

/**
 * A recharts LineChart whose axes get fixed, rounded ranges, and whose lines are SVG paths drawn
 * with the chart's own scales (recharts' public useXAxisScale/useYAxisScale). A new point then
 * redraws one path (well under a millisecond) instead of recharts' whole state pipeline (15–25 ms
 * per chart measured on 2 vCPUs, even with 300 points). `chartTuning.drawing = 'line'` uses
 * recharts <Line> instead, for the benchmark's baselines.
 */
export const ChartPlot = memo(function ChartPlot(props: ChartPlotProps) {
  const { lines, width, height, formatX, formatY, xDomain, yDomain, xTicks, yTicks } = props;
  const xTick = useMemo(() => makeAxisTick(formatX, 'x'), [formatX]);
  const yTick = useMemo(() => makeAxisTick(formatY, 'y'), [formatY]);
  return (
    <LineChart width={width} height={height} margin={PLOT_MARGIN} accessibilityLayer={false}>
      <XAxis type="number" dataKey="x" domain={xDomain} ticks={xTicks} tick={xTick} interval={0} allowDataOverflow />
      <YAxis
        type="number"
        width={Y_AXIS_WIDTH}
        domain={yDomain}
        ticks={yTicks}
        tick={yTick}
        interval={0}
        allowDataOverflow
      />
      {chartTuning.drawing === 'line' ? (
        lines.map((line, i) => <RechartsLine key={line.key} line={line} index={i} />)
      ) : (
        <PlotPaths lines={lines} />
      )}
    </LineChart>
  );
});

/** Each line as one SVG path through the chart's scales. */
function PlotPaths({ lines }: { lines: readonly ChartLine[] }) {
  const data = useContext(PlotData);
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  return (
    <g className="run-chart-lines">
      {lines.map((line, i) => (
        <g key={line.key}>
          <path
            d={svgPath(data[i] ?? [], x, y)}
            fill="none"
            stroke={line.color}
            strokeWidth={1.6}
            strokeDasharray={line.dash}
            strokeLinejoin="round"
          />
          {(data[i]?.length ?? 0) <= DOTS_UP_TO && <PlotDots points={data[i] ?? []} x={x} y={y} color={line.color} />}
        </g>
      ))}
    </g>
  );
}

/** A dot at each point of a short series (a one-epoch run's single point is otherwise invisible). */
function PlotDots(props: { points: readonly ChartPoint[]; x: ScaleFunction; y: ScaleFunction; color: string }) {
  const { points, x, y, color } = props;
  return (
    <>
      {points.map((p) => {
        const px = x(p.x);
        const py = y(p.y);
        if (px === undefined || py === undefined || !Number.isFinite(px) || !Number.isFinite(py)) return null;
        return <circle key={p.x} className="run-chart-dot" cx={px} cy={py} r={2.6} fill={color} />;
      })}
    </>
  );
}

/** "M x,y L x,y …" in pixels. */
function svgPath(points: readonly ChartPoint[], x: ScaleFunction, y: ScaleFunction): string {
  const parts: string[] = [];
  for (const p of points) {
    const px = x(p.x);
    const py = y(p.y);
    if (px === undefined || py === undefined || !Number.isFinite(px) || !Number.isFinite(py)) continue;
    parts.push(`${parts.length === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`);
  }
  return parts.join('');
}

/** A plain recharts <Line> (baselines only). */
function RechartsLine({ line, index }: { line: ChartLine; index: number }) {
  const data = useContext(PlotData)[index];
  return (
    <Line
      data={data}
      dataKey="y"
      name={line.label}
      type="linear"
      stroke={line.color}
      strokeDasharray={line.dash}
      strokeWidth={1.6}
      dot={false}
      activeDot={false}
      isAnimationActive={false}
    />
  );
}
