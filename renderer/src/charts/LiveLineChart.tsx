import { memo, useMemo } from 'react';
import { ChartPlot, PLOT_MARGIN, PlotData, Y_AXIS_WIDTH } from './ChartPlot';
import { useDrawnVersion } from './frame-queue';
import { niceDomain, niceTicks, niceTimeDomain, wholeTicks, type Domain } from './nice-domain';
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

/** An axis range: fixed ends, or 'auto' (from the data, rounded). */
export type AxisRange = [number | 'auto', number | 'auto'];

/** What a live line chart shows and how it labels it. */
export interface LiveLineChartProps {
  title: string;
  lines: readonly ChartLine[];
  /** Changes when any line's points change; the chart redraws only then. */
  version: number;
  xLabel: string;
  formatX: (x: number) => string;
  /** Shorter x labels for the axis ("200k"); `formatX` when absent. */
  formatXTick?: (x: number) => string;
  formatY: (y: number) => string;
  /** 'time': x is unix seconds, with ticks on round clock times. */
  xKind?: 'number' | 'time';
  /** x counts whole things (epochs): ticks on whole numbers only. */
  xWhole?: boolean;
  xRange?: AxisRange;
  yRange?: AxisRange;
  /** Shown instead of the plot while there are no points yet. */
  emptyText: string;
  height?: number;
}

const AUTO: AxisRange = ['auto', 'auto'];

/**
 * A live line chart (recharts) of series downsampled (LTTB) to about the plot's pixel width, with
 * no animation, no tooltip, and dots only on short series (PITFALLS: recharts costs 30–140 ms per update with
 * thousands of points). Redraws wait for their turn in the draw queue (one chart per frame). The
 * latest values are written out as text, which is also what screen readers get.
 */
export const LiveLineChart = memo(function LiveLineChart(props: LiveLineChartProps) {
  const { title, lines, version, xLabel, formatX, formatY, emptyText, height = 170 } = props;
  const { xKind = 'number', xWhole = false, xRange = AUTO, yRange = AUTO, formatXTick = formatX } = props;
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const plotWidth = Math.max(0, width - Y_AXIS_WIDTH - PLOT_MARGIN.left - PLOT_MARGIN.right);
  const hasPoints = lines.some((line) => line.series.length > 0);
  // The text below follows every update; the plot redraws when its turn in the draw queue comes.
  const drawn = useDrawnVersion(version);

  // `drawn` stands for the series' contents, which change in place outside React.
  /* eslint-disable react-hooks/exhaustive-deps */
  const data = useMemo(
    () => (plotWidth > 0 ? lines.map((line) => line.series.chartPoints(Math.max(32, plotWidth))) : []),
    [lines, plotWidth, drawn],
  );
  // Callers pass memoised ranges.
  const frame = useMemo(
    () => axisFrame(lines, xKind, xRange, yRange, xWhole),
    [lines, drawn, xKind, xRange, yRange, xWhole],
  );
  /* eslint-enable react-hooks/exhaustive-deps */
  // Same numbers, same arrays: the memoised plot frame then skips its redraw.
  const [x0, x1] = frame.x;
  const [y0, y1] = frame.y;
  const xDomain = useMemo<Domain>(() => [x0, x1], [x0, x1]);
  const yDomain = useMemo<Domain>(() => [y0, y1], [y0, y1]);
  const xTickKey = frame.xTicks.join(',');
  const yTickKey = frame.yTicks.join(',');
  /* eslint-disable react-hooks/exhaustive-deps */
  const xTicks = useMemo(() => frame.xTicks, [xTickKey]);
  const yTicks = useMemo(() => frame.yTicks, [yTickKey]);
  /* eslint-enable react-hooks/exhaustive-deps */

  return (
    // data-points: how many points each line holds (all of them, before downsampling), for UI tests.
    <figure className="run-chart" data-points={lines.map((line) => line.series.length).join(',')}>
      <figcaption className="run-chart-title">{title}</figcaption>
      <ChartLegend lines={lines} />
      <div ref={ref} className="run-chart-plot" style={{ height }} aria-hidden="true">
        {!hasPoints && <p className="run-chart-empty">{emptyText}</p>}
        {hasPoints && width > 0 && (
          <PlotData.Provider value={data}>
            <ChartPlot
              lines={lines}
              width={width}
              height={height}
              formatX={formatXTick}
              formatY={formatY}
              xDomain={xDomain}
              yDomain={yDomain}
              xTicks={xTicks}
              yTicks={yTicks}
            />
          </PlotData.Provider>
        )}
      </div>
      <ChartLatest lines={lines} xLabel={xLabel} formatX={formatX} formatY={formatY} />
    </figure>
  );
});

/** The axes' ranges for the current points: fixed ends kept, 'auto' ends rounded from the data. */
function axisFrame(
  lines: readonly ChartLine[],
  xKind: 'number' | 'time',
  xRange: AxisRange,
  yRange: AxisRange,
  xWhole: boolean,
): { x: Domain; y: Domain; xTicks: number[]; yTicks: number[] } {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const { series } of lines) {
    if (series.length === 0) continue;
    xMin = Math.min(xMin, series.at(0).x);
    xMax = Math.max(xMax, series.last()!.x);
    yMin = Math.min(yMin, series.minY);
    yMax = Math.max(yMax, series.maxY);
  }
  const pick = (range: AxisRange, auto: Domain): Domain => [
    range[0] === 'auto' ? auto[0] : range[0],
    range[1] === 'auto' ? Math.max(auto[1], range[0] === 'auto' ? auto[0] : range[0]) : range[1],
  ];
  const y = pick(yRange, niceDomain(yRange[0] === 'auto' ? yMin : Math.min(yMin, yRange[0]), yMax));
  const yTicks = niceTicks(y[0], y[1]);
  if (xKind === 'time') {
    const time = niceTimeDomain(xMin, xMax);
    return { x: time.domain, y, xTicks: time.ticks, yTicks };
  }
  const x = pick(xRange, niceDomain(xRange[0] === 'auto' ? xMin : Math.min(xMin, xRange[0]), xMax));
  return { x, y, xTicks: xWhole ? wholeTicks(x[0], x[1]) : niceTicks(x[0], x[1]), yTicks };
}

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
