import { useMemo, useState } from 'react';
import type { ComparedRun } from '@contract';
import { formatCount, formatDuration, formatPercent } from '../../components/format';
import { Panel } from '../../components/Panel';
import { formatInterval } from '../results/HeadlineMetrics';
import { STATUS_LABELS } from '../run-labels';
import { deltaPoints } from './compare-settings';

/**
 * Each run's final numbers (the results view's headline: the test split when there was one, else
 * validation), top-1 with its 95 % Wilson interval, and the change against the baseline in points.
 */
export function MetricsComparison({ runs, baseline }: { runs: readonly ComparedRun[]; baseline: number }) {
  const base = runs[baseline]?.headline ?? null;
  return (
    <Panel
      titleId="compare-metrics-title"
      title="Final metrics"
      description="The best model of each run, evaluated once at the end. Δ: the change against the baseline, in percentage points. Overlapping intervals mean the difference may be chance."
    >
      <div className="run-table-scroll compare-table-scroll">
        <table className="run-table compare-table">
          <caption className="visually-hidden">Final metrics of the compared runs</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Scored on</th>
              <th scope="col" className="run-num">
                Top-1 (95 % interval)
              </th>
              <th scope="col" className="run-num">
                Balanced accuracy
              </th>
              <th scope="col" className="run-num">
                Macro-F1
              </th>
              <th scope="col" className="run-num">
                Best epoch
              </th>
              <th scope="col" className="run-num">
                Training time
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run, i) => {
              const h = run.headline;
              const isBase = i === baseline;
              return (
                <tr key={run.id} data-run={run.id}>
                  <th scope="row">
                    {run.name}
                    {isBase && <span className="muted"> (baseline)</span>}
                  </th>
                  {h ? (
                    <>
                      <td>
                        {formatCount(h.count)} {h.split} images
                      </td>
                      <td className="run-num">
                        {formatPercent(h.top1)}
                        {h.top1Interval && <div className="muted">{formatInterval(h.top1Interval)}</div>}
                        {!isBase && <Delta value={deltaPoints(h.top1, base?.top1)} />}
                      </td>
                      <td className="run-num">
                        {formatPercent(h.balancedAccuracy)}
                        {!isBase && <Delta value={deltaPoints(h.balancedAccuracy, base?.balancedAccuracy)} />}
                      </td>
                      <td className="run-num">
                        {formatPercent(h.macroF1)}
                        {!isBase && <Delta value={deltaPoints(h.macroF1, base?.macroF1)} />}
                      </td>
                    </>
                  ) : (
                    <td colSpan={4}>
                      No final evaluation: the run is {STATUS_LABELS[run.status].label.toLowerCase()}.
                    </td>
                  )}
                  <td className="run-num">{run.bestEpoch ?? '—'}</td>
                  <td className="run-num">{formatDuration(run.durationS)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function Delta({ value }: { value: string }) {
  if (!value) return null;
  return <div className="compare-delta">Δ {value}</div>;
}

const CLASS_ROWS = 20;

/** F1 per class (validation images) of every run side by side, with the change against the baseline. */
export function ClassF1Comparison({ runs, baseline }: { runs: readonly ComparedRun[]; baseline: number }) {
  const [all, setAll] = useState(false);
  const rows = useMemo(() => classRows(runs), [runs]);
  if (rows.length === 0) return null;
  const shown = all ? rows : rows.slice(0, CLASS_ROWS);
  return (
    <Panel
      titleId="compare-classes-title"
      title="F1 per class"
      description="On each run’s validation images. A class a run has no validation images of is not scored (—)."
    >
      <div className="run-table-scroll compare-table-scroll">
        <table className="run-table compare-table">
          <caption className="visually-hidden">F1 per class of the compared runs</caption>
          <thead>
            <tr>
              <th scope="col">Class</th>
              {runs.map((run, i) => (
                <th scope="col" className="run-num" key={run.id}>
                  {run.name}
                  {i === baseline && <span className="muted"> (baseline)</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.name}>
                <th scope="row">{row.name}</th>
                {row.f1.map((f1, i) => (
                  <td className="run-num" key={runs[i]!.id}>
                    {f1 === undefined ? '—' : formatPercent(f1)}
                    {i !== baseline && <Delta value={deltaPoints(f1, row.f1[baseline])} />}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > CLASS_ROWS && !all && (
        <button type="button" onClick={() => setAll(true)}>
          Show all {formatCount(rows.length)} classes
        </button>
      )}
    </Panel>
  );
}

/** Every class any run scored, in the first run's order; `f1[i]` undefined when run i lacks the class. */
function classRows(runs: readonly ComparedRun[]): Array<{ name: string; f1: Array<number | null | undefined> }> {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const run of runs)
    for (const c of run.perClass)
      if (!seen.has(c.name)) {
        seen.add(c.name);
        names.push(c.name);
      }
  const maps = runs.map((run) => new Map(run.perClass.map((c) => [c.name, c.f1])));
  return names.map((name) => ({ name, f1: maps.map((m) => (m.has(name) ? m.get(name) : undefined)) }));
}
