import { act, render, screen, waitFor } from '@testing-library/react';
import { chartTuning, setChartTuning } from '../../../renderer/src/charts/chart-tuning';
import { LiveLineChart, type ChartLine } from '../../../renderer/src/charts/LiveLineChart';
import { LiveSeries } from '../../../renderer/src/charts/series';

/** jsdom has no layout: a ResizeObserver that reports a 400 px wide chart. */
class FixedWidthObserver {
  constructor(private readonly callback: (entries: { contentRect: { width: number } }[]) => void) {}
  observe() {
    this.callback([{ contentRect: { width: 400 } }]);
  }
  disconnect() {}
}

const frame = () => act(() => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined))));

function lossLine(n: number): ChartLine {
  const series = new LiveSeries();
  for (let i = 1; i <= n; i++) series.push(i, 2 / (1 + i / 1000) + (i === 7777 ? 5 : 0));
  return { key: 'loss', label: 'Training loss', series, color: '#2f81f7', best: 'min' };
}

function segments(container: HTMLElement): number {
  const d = container.querySelector('.run-chart-lines path')?.getAttribute('d') ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}

describe('LiveLineChart', () => {
  beforeEach(() => vi.stubGlobal('ResizeObserver', FixedWidthObserver));
  afterEach(() => vi.unstubAllGlobals());

  it('draws 20,000 points as about one point per pixel of the plot, and says the latest value in text', async () => {
    const lines = [lossLine(20_000)];
    const { container } = render(
      <LiveLineChart
        title="Training loss"
        lines={lines}
        version={lines[0]!.series.version}
        xLabel="step"
        formatX={String}
        formatY={(y) => y.toFixed(3)}
        emptyText="No steps yet."
      />,
    );
    const drawn = segments(container);
    expect(drawn).toBeGreaterThan(100);
    expect(drawn).toBeLessThanOrEqual(400 - 56 - 22); // the plot's width: axis and margins taken off
    expect(screen.getByText(/0\.095 at step 20000, lowest 0\.095/)).toBeInTheDocument();
  });

  it('draws a dot for a one-epoch series, with whole-epoch ticks; long series get no dots', async () => {
    const series = new LiveSeries();
    series.push(1, 2.24);
    const lines = [{ key: 'val', label: 'Validation', series, color: '#e0691a', best: 'min' as const }];
    const { container } = render(
      <LiveLineChart
        title="Loss per epoch"
        lines={lines}
        version={series.version}
        xLabel="epoch"
        formatX={String}
        formatY={(y) => y.toFixed(2)}
        xRange={[0, 1]}
        xWhole
        emptyText="No epochs yet."
      />,
    );
    await waitFor(() => expect(container.querySelectorAll('.run-chart-dot')).toHaveLength(1));
    // Ticks at epochs 0 and 1 only (not 0, 0.25, 0.5, 0.75, 1): their marks' x, at the plot's two ends.
    const xTicks = [...container.querySelectorAll('.recharts-xAxis-tick-lines line')].map((t) => t.getAttribute('x1'));
    expect(xTicks).toEqual(['56', '378']);

    const long = [lossLine(2000)];
    const other = render(
      <LiveLineChart
        title="Training loss"
        lines={long}
        version={long[0]!.series.version}
        xLabel="step"
        formatX={String}
        formatY={(y) => y.toFixed(3)}
        emptyText="No steps yet."
      />,
    );
    await waitFor(() => expect(segments(other.container)).toBeGreaterThan(100));
    expect(other.container.querySelectorAll('.run-chart-dot')).toHaveLength(0);
  });

  it('redraws new points on its turn in the draw queue, and the text at once', async () => {
    const lines = [lossLine(100)];
    const props = {
      title: 'Training loss',
      lines,
      xLabel: 'step',
      formatX: String,
      formatY: (y: number) => y.toFixed(3),
      emptyText: 'No steps yet.',
    };
    const { container, rerender } = render(<LiveLineChart {...props} version={lines[0]!.series.version} />);
    expect(segments(container)).toBe(100);
    // The draw of points 101–150 happens after this moment (the earliest the next draw may be timed from).
    const earliestDraw = performance.now();
    for (let i = 101; i <= 150; i++) lines[0]!.series.push(i, 1);
    rerender(<LiveLineChart {...props} version={lines[0]!.series.version} />);
    expect(screen.getByText(/1\.000 at step 150/)).toBeInTheDocument();
    expect(segments(container)).toBe(100); // not yet: waits for its frame
    await waitFor(() => expect(segments(container)).toBe(150));

    // A chart redraws at most every chartTuning.minRedrawMs: the next points wait. A long interval
    // here, so that a slow (loaded) machine cannot pass it between two frames.
    const { minRedrawMs } = chartTuning;
    setChartTuning({ minRedrawMs: 1500 });
    onTestFinished(() => setChartTuning({ minRedrawMs }));
    for (let i = 151; i <= 160; i++) lines[0]!.series.push(i, 1);
    rerender(<LiveLineChart {...props} version={lines[0]!.series.version} />);
    await frame();
    await frame();
    expect(segments(container)).toBe(150);
    await waitFor(() => expect(segments(container)).toBe(160), { timeout: 4000 });
    // At least the interval after that draw, however late waitFor noticed it on a loaded machine.
    expect(performance.now() - earliestDraw).toBeGreaterThanOrEqual(1450);
  });

  it('says what will appear while there is nothing to draw', () => {
    render(
      <LiveLineChart
        title="Validation accuracy"
        lines={[{ key: 'top1', label: 'Top-1', series: new LiveSeries(), color: '#000' }]}
        version={0}
        xLabel="epoch"
        formatX={String}
        formatY={String}
        emptyText="Appears after the first epoch is evaluated."
      />,
    );
    expect(screen.getByText('Appears after the first epoch is evaluated.')).toBeInTheDocument();
  });
});
