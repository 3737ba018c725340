import { useId, useState } from 'react';
import type { ComparedRun } from '@contract';
import { useCall } from '../../api/hooks';
import { ErrorNotice } from '../../components/ErrorNotice';
import { CompareCharts } from './CompareCharts';
import { compareHref } from './compare-href';
import { dataMismatches } from './compare-settings';
import { ClassF1Comparison, MetricsComparison } from './MetricsComparison';
import { SettingsComparison } from './SettingsComparison';
import '../runs.css';
import './compare.css';

/**
 * `#/compare/<id>/<id>…`: two to ten runs side by side — settings (what differs from the baseline
 * highlighted), loss and accuracy on shared axes, final metrics with intervals, F1 per class. Runs
 * that were not measured on the same images are compared only under a warning that says why.
 */
export function CompareView({ ids }: { ids: string[] }) {
  const unique = [...new Set(ids)];
  return (
    <section className="run-results compare-view" aria-labelledby="compare-title">
      {unique.length < 2 ? (
        <>
          <CompareHeader baselineId={null} />
          <p className="lead">
            Choose at least two runs to compare: tick them in <a href="#/runs">the runs list</a>, then press Compare.
          </p>
        </>
      ) : (
        <LoadedComparison ids={unique.slice(0, 10)} />
      )}
    </section>
  );
}

function CompareHeader({ baselineId }: { baselineId: string | null }) {
  return (
    <header className="run-header">
      <div className="run-header-title">
        <h1 id="compare-title" tabIndex={-1}>
          Compare runs
        </h1>
      </div>
      <div className="run-header-actions">
        {baselineId && (
          <a href={`#/new/from/${encodeURIComponent(baselineId)}`}>Start a new run from the baseline’s settings</a>
        )}
        <a href="#/runs">All runs</a>
      </div>
    </header>
  );
}

function LoadedComparison({ ids }: { ids: string[] }) {
  const answer = useCall('runs.compare', { ids });
  const [baselineId, setBaselineId] = useState(ids[0]);
  const runs = answer.data?.runs;
  const found = runs ? runs.findIndex((run) => run.id === baselineId) : -1;
  const baseline = found < 0 ? 0 : found;
  return (
    <>
      <CompareHeader baselineId={runs?.[baseline]?.id ?? null} />
      <p className="lead">{ids.length} runs side by side. Choose the baseline: every difference is shown against it.</p>
      {answer.loading && !runs && <p aria-live="polite">Reading the runs…</p>}
      {answer.error && <ErrorNotice error={answer.error} onRetry={answer.reload} />}
      {runs && <CompareBody runs={runs} baseline={baseline} onBaseline={(i) => setBaselineId(runs[i]?.id)} />}
    </>
  );
}

function CompareBody({
  runs,
  baseline,
  onBaseline,
}: {
  runs: ComparedRun[];
  baseline: number;
  onBaseline: (index: number) => void;
}) {
  const mismatches = dataMismatches(runs, baseline);
  return (
    <>
      <BaselineChoice runs={runs} baseline={baseline} onChange={onBaseline} />
      {mismatches.length > 0 && (
        <div className="notice notice-warning" role="note" aria-labelledby="compare-data-warning">
          <p className="notice-title" id="compare-data-warning">
            ⚠ Not measured on the same images: compare these numbers with care
          </p>
          <ul>
            {mismatches.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      )}
      <OriginLinks runs={runs} />
      <SettingsComparison runs={runs} baseline={baseline} />
      <MetricsComparison runs={runs} baseline={baseline} />
      <CompareCharts runs={runs} />
      <ClassF1Comparison runs={runs} baseline={baseline} />
    </>
  );
}

/** A radio group: which run the others are measured against. */
function BaselineChoice({
  runs,
  baseline,
  onChange,
}: {
  runs: ComparedRun[];
  baseline: number;
  onChange: (index: number) => void;
}) {
  const name = useId();
  return (
    <fieldset className="panel compare-baseline">
      <legend>Baseline run</legend>
      {runs.map((run, i) => (
        <label key={run.id}>
          <input type="radio" name={name} checked={i === baseline} onChange={() => onChange(i)} /> {run.name}
        </label>
      ))}
    </fieldset>
  );
}

/** For a run started from another's settings: which one, and the pair to compare when it is not here. */
function OriginLinks({ runs }: { runs: ComparedRun[] }) {
  const here = new Map(runs.map((run) => [run.id, run]));
  const copies = runs.filter((run) => run.settings.fromRunId);
  if (copies.length === 0) return null;
  return (
    <ul className="compare-origins">
      {copies.map((run) => {
        const from = run.settings.fromRunId as string;
        const source = here.get(from);
        return (
          <li key={run.id}>
            “{run.name}” was started from the settings of {source ? `“${source.name}”` : `the run ${from}`}.{' '}
            {!source && (
              <a href={compareHref([from, run.id])}>
                Compare<span className="visually-hidden"> “{run.name}”</span> with the run it came from
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}
