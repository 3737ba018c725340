import { render, screen } from '@testing-library/react';
import { runGpuSample } from '../../../electron/core/runs/ingest/gpu-samples';
import { RunGpuCharts } from '../../../renderer/src/runs/RunCharts';
import { RunChartData } from '../../../renderer/src/runs/run-chart-data';
import { recordedGpuSamples } from '../nvidia-smi-samples';

/** jsdom has no layout: a ResizeObserver that reports a 400 px wide chart. */
class FixedWidthObserver {
  constructor(private readonly callback: (entries: { contentRect: { width: number } }[]) => void) {}
  observe() {
    this.callback([{ contentRect: { width: 400 } }]);
  }
  disconnect() {}
}

beforeEach(() => vi.stubGlobal('ResizeObserver', FixedWidthObserver));
afterEach(() => vi.unstubAllGlobals());

/** The charts' text equivalent: "GPU 1 utilisation: 0 % at time …" per line. */
const latest = (chart: string) =>
  [
    ...screen.getByText(chart, { selector: 'figcaption' }).closest('figure')!.querySelectorAll('.run-chart-latest li'),
  ].map((li) => li.textContent ?? '');

describe('GPU charts with several GPUs (recorded nvidia-smi streams)', () => {
  test('two GPUs (tests/fixtures/nvidia-smi/two-gpus): one series per GPU for each reading, [N/A] left as a gap', () => {
    const samples = recordedGpuSamples('two-gpus');
    expect(samples).toHaveLength(14);
    const charts = new RunChartData();
    for (const sample of samples) charts.addGpuSample(sample);
    expect(charts.addGpuSample(samples.at(-1)!)).toBe(false); // the same second again is not drawn twice
    expect([...charts.gpus.keys()]).toEqual([0, 1]);
    for (const gpu of charts.gpus.values()) {
      for (const series of [gpu.memoryGiB, gpu.temperatureC, gpu.powerW]) expect(series.length).toBe(14);
      expect(gpu.memoryTotalGiB).toBeCloseTo(81559 / 1024);
      expect(gpu.powerLimitW).toBe(700);
    }
    // GPU 1's first utilisation was [N/A]: no point (not a 0 that would draw a false dip).
    expect(charts.gpus.get(0)!.utilizationPct.length).toBe(14);
    expect(charts.gpus.get(1)!.utilizationPct.length).toBe(13);
    expect(charts.gpus.get(1)!.utilizationPct.at(0).x).toBe(samples[1]!.time);
    expect(charts.gpus.get(0)!.utilizationPct.at(0).y).toBe(2);
  });

  test('only the run’s chosen GPUs are charted, each as its own line in all four charts', () => {
    const charts = new RunChartData();
    for (const sample of recordedGpuSamples('four-gpus-one-busy')) {
      charts.addGpuSample(runGpuSample(sample, { gpuIds: ['1', '2'] }));
    }
    expect([...charts.gpus.keys()]).toEqual([1, 2]);
    expect(charts.gpus.get(2)!.utilizationPct.maxY).toBe(97); // the busy GPU's bursts, kept apart from GPU 1
    expect(charts.gpus.get(1)!.utilizationPct.maxY).toBe(0);
    render(<RunGpuCharts charts={charts} gpuVersion={charts.gpuVersion} onCpu={false} />);
    for (const [chart, what, one, two] of [
      ['Utilisation (how busy the GPU is)', 'utilisation', '0 %', '0 %'],
      ['Memory used (of 80 GiB)', 'memory used', '0 GiB', '21 GiB'],
      ['Temperature', 'temperature', '30 °C', '37 °C'],
      ['Power (limit 700 W)', 'power', '71 W', '119 W'],
    ] as const) {
      const lines = latest(chart);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(new RegExp(`^GPU 1 ${what}: ${one}`));
      expect(lines[1]).toMatch(new RegExp(`^GPU 2 ${what}: ${two}`));
    }
  });
});
