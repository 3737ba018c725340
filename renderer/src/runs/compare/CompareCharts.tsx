import { memo, useId, useMemo, useState } from 'react';
import type { ComparedRun } from '@contract';
import { formatMetric, formatPercent } from '../../components/format';
import { Panel } from '../../components/Panel';
import { CompareChart, RUN_COLORS, RUN_DASHES, type CompareLine } from './CompareChart';

type XMode = 'epoch' | 'time';
const ACCURACY_RANGE: [number, number] = [0, 1];

/** Seconds shown in the unit that suits the longest run: s, min or h. */
function timeUnit(maxS: number): { div: number; unit: string } {
  if (maxS > 3 * 3600) return { div: 3600, unit: 'h' };
  if (maxS > 300) return { div: 60, unit: 'min' };
  return { div: 1, unit: 's' };
}

/**
 * Loss and accuracy of every run on shared axes, by epoch or by time since each run's first step
 * (a radio group switches both). Training loss by time uses the runs' steps; the rest their epochs.
 */
export const CompareCharts = memo(function CompareCharts({ runs }: { runs: readonly ComparedRun[] }) {
  const [mode, setMode] = useState<XMode>('epoch');
  const name = useId();
  const charts = useMemo(() => buildCharts(runs, mode), [runs, mode]);
  return (
    <Panel
      titleId="compare-curves-title"
      title="Loss and accuracy"
      description="Every run on the same axes. By time: seconds since each run’s first training step (a pause while stopped counts)."
    >
      <fieldset className="compare-x-mode">
        <legend>Across</legend>
        {(['epoch', 'time'] as const).map((value) => (
          <label key={value}>
            <input type="radio" name={name} value={value} checked={mode === value} onChange={() => setMode(value)} />{' '}
            {value === 'epoch' ? 'Epochs' : 'Time'}
          </label>
        ))}
      </fieldset>
      <div className="compare-charts">
        <CompareChart
          best="min"
          {...charts.common}
          title="Validation loss"
          lines={charts.valLoss}
          formatY={formatMetric}
        />
        <CompareChart
          best="min"
          {...charts.common}
          title="Training loss"
          lines={charts.trainLoss}
          formatY={formatMetric}
        />
        <CompareChart
          best="max"
          {...charts.common}
          title="Validation accuracy (top-1)"
          lines={charts.valTop1}
          formatY={formatWholePercent}
          yRange={ACCURACY_RANGE}
        />
      </div>
    </Panel>
  );
});

const formatWholePercent = (y: number) => formatPercent(y, 0);

function buildCharts(runs: readonly ComparedRun[], mode: XMode) {
  const style = (i: number) => ({ color: RUN_COLORS[i % RUN_COLORS.length]!, dash: RUN_DASHES[i % RUN_DASHES.length] });
  const line = (run: ComparedRun, i: number, points: CompareLine['points']): CompareLine => ({
    runId: run.id,
    name: run.name,
    ...style(i),
    points,
  });
  if (mode === 'epoch') {
    return {
      common: {
        xLabel: 'epoch',
        xWhole: true,
        formatX: (x: number) => String(x),
        describeX: (x: number) => `epoch ${x}`,
      },
      valLoss: runs.map((r, i) =>
        line(
          r,
          i,
          r.epochs.map((e) => [e.epoch, e.valLoss] as const),
        ),
      ),
      trainLoss: runs.map((r, i) =>
        line(
          r,
          i,
          r.epochs.map((e) => [e.epoch, e.trainLoss] as const),
        ),
      ),
      valTop1: runs.map((r, i) =>
        line(
          r,
          i,
          r.epochs.map((e) => [e.epoch, e.valTop1] as const),
        ),
      ),
    };
  }
  const maxS = Math.max(1, ...runs.flatMap((r) => [r.steps[r.steps.length - 1]?.elapsedS ?? 0]));
  const { div, unit } = timeUnit(maxS);
  // Epochs whose time is not known (no steps recorded) are left out of the time charts.
  const byTime = (r: ComparedRun, pick: (e: ComparedRun['epochs'][number]) => number | null) =>
    r.epochs.flatMap((e) => (e.elapsedS === null ? [] : [[e.elapsedS / div, pick(e)] as const]));
  return {
    common: {
      xLabel: `time (${unit})`,
      formatX: (x: number) => `${Number(x.toPrecision(3))} ${unit}`,
    },
    valLoss: runs.map((r, i) =>
      line(
        r,
        i,
        byTime(r, (e) => e.valLoss),
      ),
    ),
    trainLoss: runs.map((r, i) =>
      line(
        r,
        i,
        r.steps.map((s) => [s.elapsedS / div, s.loss] as const),
      ),
    ),
    valTop1: runs.map((r, i) =>
      line(
        r,
        i,
        byTime(r, (e) => e.valTop1),
      ),
    ),
  };
}
