import { memo, useMemo } from 'react';
import { LiveLineChart, type AxisRange, type ChartLine } from '../charts/LiveLineChart';
import type { RunChartData } from './run-chart-data';
import { formatCount, formatMetric, formatRateTick } from '../components/format';
import { Panel } from '../components/Panel';

/** Colours readable on both themes; each line also has its own dash, so colour is not the only cue. */
const COLORS = ['#2f81f7', '#e0691a', '#1f9d55', '#a855f7', '#d4387f', '#0e9aa7', '#8a6d00', '#6e7781'];
const DASHES = [undefined, '6 3', '2 3', '9 3 2 3'];

const PERCENT_RANGE: AxisRange = [0, 100];
const ZERO_BASED: AxisRange = [0, 'auto'];
const formatStep = (x: number) => formatCount(x);
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const formatStepTick = (x: number) => COMPACT.format(x);
const formatEpoch = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const formatPct = (y: number) => `${Number.isInteger(y) || y >= 10 ? y.toFixed(0) : y.toFixed(1)} %`;
const formatAccuracy = (y: number) => `${y.toFixed(1)} %`;
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const formatClock = (t: number) => CLOCK.format(t * 1000);
const formatGiB = (y: number) => `${Number.isInteger(y) || y >= 10 ? y.toFixed(0) : y.toFixed(1)} GiB`;
const formatCelsius = (y: number) => `${Math.round(y)} °C`;
const formatWatts = (y: number) => `${Math.round(y)} W`;

/** Loss, accuracy, learning rate and speed: steps by global step, validation by epoch. */
export const RunTrainingCharts = memo(function RunTrainingCharts({
  charts,
  stepsVersion,
  epochsVersion,
  totalSteps,
  totalEpochs,
}: {
  charts: RunChartData;
  stepsVersion: number;
  epochsVersion: number;
  /** The whole run on the x axes (the lines grow towards the end); 'auto' until known. */
  totalSteps: number | null;
  totalEpochs: number | null;
}) {
  const stepRange = useMemo<AxisRange>(() => [0, totalSteps || 'auto'], [totalSteps]);
  const epochRange = useMemo<AxisRange>(() => [0, totalEpochs || 'auto'], [totalEpochs]);
  const lines = useMemo(() => {
    const line = (key: string, label: string, series: ChartLine['series'], i: number, best?: 'min' | 'max') => ({
      key,
      label,
      series,
      color: COLORS[i]!,
      dash: DASHES[i],
      best,
    });
    return {
      stepLoss: [line('loss', 'Training loss', charts.stepLoss, 0, 'min')],
      epochLoss: [
        line('train', 'Training', charts.epochTrainLoss, 0, 'min'),
        line('val', 'Validation', charts.epochValLoss, 1, 'min'),
      ],
      accuracy: [
        line('top1', 'Validation top-1', charts.epochTop1, 0, 'max'),
        line('top5', 'Validation top-5', charts.epochTop5, 1, 'max'),
        line('train', 'Training top-1', charts.epochTrainTop1, 2),
      ],
      lr: [line('lr', 'Learning rate', charts.stepLr, 2)],
      speed: [line('speed', 'Images per second', charts.stepImgPerS, 3)],
    };
  }, [charts]);

  const byStep = {
    version: stepsVersion,
    xLabel: 'step',
    formatX: formatStep,
    formatXTick: formatStepTick,
    xRange: stepRange,
  };
  const byEpoch = { version: epochsVersion, xLabel: 'epoch', formatX: formatEpoch, xRange: epochRange, xWhole: true };

  return (
    <Panel titleId="run-training-charts" title="Training">
      <div className="run-chart-grid">
        <LiveLineChart
          title="Training loss (lower is better)"
          lines={lines.stepLoss}
          {...byStep}
          formatY={formatMetric}
          emptyText="The loss appears with the first training steps."
        />
        <LiveLineChart
          title="Loss per epoch: training and validation"
          lines={lines.epochLoss}
          {...byEpoch}
          formatY={formatMetric}
          emptyText="Appears after the first epoch is evaluated."
        />
        <LiveLineChart
          title="Accuracy (higher is better)"
          lines={lines.accuracy}
          {...byEpoch}
          formatY={formatAccuracy}
          yRange={PERCENT_RANGE}
          emptyText="Appears after the first epoch is evaluated."
        />
        <LiveLineChart
          title="Learning rate"
          lines={lines.lr}
          {...byStep}
          formatY={formatMetric}
          emptyText="Appears with the first training steps."
        />
        <LiveLineChart
          title="Training speed"
          lines={lines.speed}
          {...byStep}
          formatY={formatRateTick}
          yRange={ZERO_BASED}
          emptyText="Appears with the first training steps."
        />
      </div>
    </Panel>
  );
});

/** GPU utilisation, memory, temperature and power over time, one line per GPU. */
export const RunGpuCharts = memo(function RunGpuCharts({
  charts,
  gpuVersion,
  onCpu,
}: {
  charts: RunChartData;
  gpuVersion: number;
  /** The run trains on the CPU: there is no GPU to chart. */
  onCpu: boolean;
}) {
  const gpuKeys = [...charts.gpus.keys()].sort((a, b) => a - b).join(',');
  const memoryTotal = Math.max(0, ...[...charts.gpus.values()].map((g) => g.memoryTotalGiB ?? 0));
  const powerLimit = Math.max(0, ...[...charts.gpus.values()].map((g) => g.powerLimitW ?? 0));
  const lines = useMemo(() => {
    const gpus = gpuKeys ? gpuKeys.split(',').map((k) => charts.gpus.get(Number(k))!) : [];
    const many = gpus.length > 1;
    const pick = (select: (g: (typeof gpus)[number]) => ChartLine['series'], what: string): ChartLine[] =>
      gpus.map((gpu, i) => ({
        key: String(gpu.index),
        label: many ? `GPU ${gpu.index} ${what}` : what,
        series: select(gpu),
        color: COLORS[i % COLORS.length]!,
        dash: DASHES[i % DASHES.length],
        best: undefined,
      }));
    return {
      util: pick((g) => g.utilizationPct, 'utilisation'),
      memory: pick((g) => g.memoryGiB, 'memory used'),
      temperature: pick((g) => g.temperatureC, 'temperature'),
      power: pick((g) => g.powerW, 'power'),
    };
  }, [charts, gpuKeys]);
  const memoryRange = useMemo<AxisRange>(() => [0, memoryTotal > 0 ? Math.ceil(memoryTotal) : 'auto'], [memoryTotal]);
  const powerRange = useMemo<AxisRange>(() => [0, powerLimit > 0 ? powerLimit : 'auto'], [powerLimit]);
  const names = [...new Set([...charts.gpus.values()].map((g) => g.name))].join(', ');
  const empty = 'No GPU readings yet: they appear once the run uses the GPU.';
  if (onCpu && charts.gpus.size === 0) {
    return (
      <Panel
        titleId="run-gpu-charts"
        title="GPU"
        description="This run trains on the CPU, so there are no GPU readings to show."
      />
    );
  }

  return (
    <Panel titleId="run-gpu-charts" title={<>GPU{names && <span className="muted"> · {names}</span>}</>}>
      <div className="run-chart-grid">
        <LiveLineChart
          title="Utilisation (how busy the GPU is)"
          lines={lines.util}
          version={gpuVersion}
          xLabel="time"
          xKind="time"
          formatX={formatClock}
          formatY={formatPct}
          yRange={PERCENT_RANGE}
          emptyText={empty}
        />
        <LiveLineChart
          title={`Memory used${memoryTotal > 0 ? ` (of ${formatGiB(memoryTotal)})` : ''}`}
          lines={lines.memory}
          version={gpuVersion}
          xLabel="time"
          xKind="time"
          formatX={formatClock}
          formatY={formatGiB}
          yRange={memoryRange}
          emptyText={empty}
        />
        <LiveLineChart
          title="Temperature"
          lines={lines.temperature}
          version={gpuVersion}
          xLabel="time"
          xKind="time"
          formatX={formatClock}
          formatY={formatCelsius}
          yRange={ZERO_BASED}
          emptyText={empty}
        />
        <LiveLineChart
          title={`Power${powerLimit > 0 ? ` (limit ${formatWatts(powerLimit)})` : ''}`}
          lines={lines.power}
          version={gpuVersion}
          xLabel="time"
          xKind="time"
          formatX={formatClock}
          formatY={formatWatts}
          yRange={powerRange}
          emptyText={empty}
        />
      </div>
    </Panel>
  );
});
