import { chartTuning, setChartTuning } from '../../../renderer/src/charts/chart-tuning';
import { LiveSeries } from '../../../renderer/src/charts/series';

describe('LiveSeries', () => {
  afterEach(() => setChartTuning({ downsample: true }));

  it('grows past its first capacity and keeps every point in order', () => {
    const s = new LiveSeries();
    for (let i = 0; i < 1000; i++) s.push(i, i * 2);
    expect(s.length).toBe(1000);
    expect(s.at(999)).toEqual({ x: 999, y: 1998 });
    expect(s.last()).toEqual({ x: 999, y: 1998 });
    expect(s.minY).toBe(0);
    expect(s.maxY).toBe(1998);
  });

  it('leaves out missing and non-finite values, and changes version on every change', () => {
    const s = new LiveSeries();
    const v0 = s.version;
    s.push(1, null);
    s.push(2, Number.NaN);
    s.push(3, Number.POSITIVE_INFINITY);
    expect(s.length).toBe(0);
    expect(s.version).toBe(v0);
    s.push(4, 0.5);
    expect(s.version).toBe(v0 + 1);
    s.clear();
    expect(s.length).toBe(0);
    expect(s.last()).toBeNull();
    expect(s.version).toBe(v0 + 2);
  });

  it('downsamples to the budget, keeping both ends', () => {
    const s = new LiveSeries();
    for (let i = 0; i < 200_000; i++) s.push(i, Math.sin(i / 1000));
    const points = s.chartPoints(600);
    expect(points).toHaveLength(600);
    expect(points[0]).toEqual({ x: 0, y: 0 });
    expect(points.at(-1)!.x).toBe(199_999);
  });

  it('gives every point when downsampling is turned off (the benchmark baseline)', () => {
    const s = new LiveSeries();
    for (let i = 0; i < 5000; i++) s.push(i, i);
    setChartTuning({ downsample: false });
    expect(chartTuning.downsample).toBe(false);
    expect(s.chartPoints(600)).toHaveLength(5000);
  });
});
