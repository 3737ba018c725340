import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { LiveSeries } from './series';
import { useElementWidth } from './use-element-width';

/** One line of a chart: a live series with its label, colour and dash (so colour is not the only cue). */
export interface ChartLine {
  key: string;
  label: string;
  series: LiveSeries;
  color: string;
  /** SVG dash pattern, e.g. '6 3'; solid when absent. */
  dash?: string;
  /** Which extreme is worth saying in the text equivalent ("lowest 0.31"). */
  best?: 'min' | 'max';
}

/** What a live line chart shows and how it labels it. */
export interface LiveLineChartProps {
  title: string;
  lines: readonly ChartLine[];
  /** Changes when any line's points change; the chart redraws only then. */
  version: number;
  xLabel: string;
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  yDomain?: [number | 'auto', number | 'auto'];
  /** Shown instead of the plot while there are no points yet. */
  emptyText: string;
  height?: number;
}

const Y_AXIS_WIDTH = 56;
const MARGIN = { top: 8, right: 12, bottom: 4, left: 0 };

/**
 * A live line chart: recharts fed with series downsampled to about the plot's pixel width, no
 * animation and no dots (PITFALLS: recharts costs 30–140 ms per update with thousands of points).
 * The latest values are written out as text, which is also what screen readers get.
 */
export const LiveLineChart = memo(function LiveLineChart(props: LiveLineChartProps) {
  const { title, lines, version, xLabel, formatX, formatY, yDomain, emptyText, height = 170 } = props;
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const plotWidth = Math.max(0, width - Y_AXIS_WIDTH - MARGIN.left - MARGIN.right);
  const hasPoints = lines.some((line) => line.series.length > 0);

  // `version` stands for the series' contents, which change in place outside React.
  const data = useMemo(
    () => (plotWidth > 0 ? lines.map((line) => line.series.chartPoints(Math.max(32, plotWidth))) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [lines, plotWidth, version],
  );

  return (
    <figure className="run-chart">
      <figcaption className="run-chart-title">{title}</figcaption>
      <ChartLegend lines={lines} />
      <div ref={ref} className="run-chart-plot" style={{ height }} aria-hidden="true">
        {!hasPoints && <p className="run-chart-empty">{emptyText}</p>}
        {hasPoints && width > 0 && (
          <LineChart width={width} height={height} margin={MARGIN} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              type="number"
              dataKey="x"
              domain={['dataMin', 'dataMax']}
              tickFormatter={formatX}
              tickCount={5}
              allowDataOverflow
            />
            <YAxis width={Y_AXIS_WIDTH} tickFormatter={formatY} domain={yDomain ?? ['auto', 'auto']} tickCount={4} />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(x) => `${xLabel} ${formatX(Number(x))}`}
              formatter={(y) => formatY(Number(y))}
            />
            {lines.map((line, i) => (
              <Line
                key={line.key}
                data={data[i]}
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
            ))}
          </LineChart>
        )}
      </div>
      <ChartLatest lines={lines} xLabel={xLabel} formatX={formatX} formatY={formatY} />
    </figure>
  );
});

function ChartLegend({ lines }: { lines: readonly ChartLine[] }) {
  if (lines.length < 2) return null;
  return (
    <ul className="run-chart-legend" aria-hidden="true">
      {lines.map((line) => (
        <li key={line.key}>
          <svg width="22" height="8" aria-hidden="true">
            <line x1="0" y1="4" x2="22" y2="4" stroke={line.color} strokeWidth="2.5" strokeDasharray={line.dash} />
          </svg>
          {line.label}
        </li>
      ))}
    </ul>
  );
}

/** The chart's text equivalent: each line's latest value, and its best so far. */
function ChartLatest(props: Pick<LiveLineChartProps, 'lines' | 'xLabel' | 'formatX' | 'formatY'>) {
  const { lines, xLabel, formatX, formatY } = props;
  return (
    <ul className="run-chart-latest">
      {lines.map((line) => {
        const last = line.series.last();
        if (!last) return null;
        const best =
          line.best === 'min'
            ? `, lowest ${formatY(line.series.minY)}`
            : line.best === 'max'
              ? `, highest ${formatY(line.series.maxY)}`
              : '';
        return (
          <li key={line.key}>
            <span className="run-chart-latest-label">{line.label}:</span> {formatY(last.y)} at {xLabel}{' '}
            {formatX(last.x)}
            {best}
          </li>
        );
      })}
    </ul>
  );
}
