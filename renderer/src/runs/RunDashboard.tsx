import { useCallback } from 'react';
import type { RunSummary } from '@contract';
import { ErrorNotice } from '../components/ErrorNotice';
import { NotifyWhenDoneButton, useRunEndNotification } from './run-end-notification';
import { isActive } from './run-labels';
import { RunGpuCharts, RunTrainingCharts } from './RunCharts';
import { RunFailurePanel } from './RunFailurePanel';
import { RunHeader } from './RunHeader';
import { RunLogPanel } from './RunLogPanel';
import { RunProgressPanel } from './RunProgressPanel';
import { RunWarnings } from './RunWarnings';
import { SkippedFilesReport } from './SkippedFilesReport';
import { useRunLive } from './use-run-live';
import './runs.css';

/** The live dashboard of one run: progress, charts, GPU, log, skipped files, stop/resume. */
export function RunDashboard({ runId }: { runId: string }) {
  // A fresh store per run: switching runs never mixes their series.
  return <RunDashboardScreen key={runId} runId={runId} />;
}

function RunDashboardScreen({ runId }: { runId: string }) {
  const { view, store, reload } = useRunLive(runId);
  const onSummary = useCallback((s: RunSummary) => store.setSummary(s), [store]);
  useRunEndNotification(view.summary);
  const { summary } = view;

  if (!summary) {
    return (
      <section className="run-dashboard" aria-labelledby="run-title" aria-busy={view.loading}>
        <h1 id="run-title">Run {runId}</h1>
        {view.loading && <p className="lead">Loading this run’s metrics, GPU readings and log…</p>}
        {view.error && <ErrorNotice error={view.error} onRetry={reload} />}
        <p>
          <a href="#/runs">All runs</a>
        </p>
      </section>
    );
  }

  return (
    <section className="run-dashboard" aria-labelledby="run-title">
      <RunHeader
        summary={summary}
        settings={view.settings}
        started={view.started}
        batchSize={view.batchSize}
        onSummary={onSummary}
      />
      {view.error && <ErrorNotice error={view.error} onRetry={reload} />}
      {summary.failure && <RunFailurePanel runId={runId} failure={summary.failure} settings={view.settings} />}
      <RunProgressPanel summary={summary} progress={view.progress} phase={view.phase}>
        <NotifyWhenDoneButton active={isActive(summary.status)} />
      </RunProgressPanel>
      <RunWarnings warnings={view.warnings} />
      <RunTrainingCharts
        charts={store.charts}
        stepsVersion={view.versions.steps}
        epochsVersion={view.versions.epochs}
        totalSteps={view.progress?.totalSteps ?? null}
        totalEpochs={view.progress?.epochs || summary.epochs || null}
      />
      <RunGpuCharts charts={store.charts} gpuVersion={view.versions.gpu} onCpu={view.settings?.device === 'cpu'} />
      <RunLogPanel runId={runId} lines={view.log} total={view.logTotal} error={view.logError} />
      <SkippedFilesReport files={view.skipped} total={view.skippedTotal} />
    </section>
  );
}
