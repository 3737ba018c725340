import type { RunResults, RunSummary } from '@contract';
import { useCall } from '../api/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { FactList } from '../components/FactList';
import { ClassMetricsTable } from './results/ClassMetricsTable';
import { ConfusionMatrix } from './results/ConfusionMatrix';
import { ExportsPanel } from './results/ExportsPanel';
import { HeadlineMetrics } from './results/HeadlineMetrics';
import { MethodsReport } from './results/MethodsReport';
import { MistakesGallery } from './results/MistakesGallery';
import { TryModelPanel } from './results/TryModelPanel';
import { modelLabel, runStatusBadge } from './run-labels';
import { RerunLinks } from './compare/RerunLinks';
import { folderName, formatDateTime } from '../components/format';
import { StatusBadge } from '../components/StatusBadge';
import './runs.css';

/** Results of a finished run. Without `runId`: the most recent finished run. */
export function RunResultsView({ runId }: { runId?: string }) {
  return runId ? <ResultsOfRun key={runId} runId={runId} /> : <LatestResults />;
}

/** Finds the newest finished run (runs.list is newest first), or says there is none yet. */
function LatestResults() {
  const list = useCall('runs.list', {});
  if (list.error) {
    return (
      <section className="run-results" aria-labelledby="results-title">
        <h1 id="results-title">Results</h1>
        <ErrorNotice error={list.error} onRetry={list.reload} />
      </section>
    );
  }
  if (!list.data) {
    return (
      <section className="run-results" aria-labelledby="results-title" aria-busy="true">
        <h1 id="results-title">Results</h1>
        <p className="lead">Looking for your latest finished run…</p>
      </section>
    );
  }
  const latest = list.data.find((run) => run.status === 'finished');
  if (!latest) return <NoResultsYet runs={list.data} />;
  return <ResultsOfRun key={latest.id} runId={latest.id} />;
}

function NoResultsYet({ runs }: { runs: RunSummary[] }) {
  const going = runs.find((run) => run.status === 'running' || run.status === 'preparing' || run.status === 'queued');
  return (
    <section className="run-results" aria-labelledby="results-title">
      <h1 id="results-title">Results</h1>
      <p className="lead">No run has finished yet, so there are no results to show.</p>
      {going ? (
        <p>
          <a href={`#/runs/${encodeURIComponent(going.id)}`}>“{going.name}” is training</a>; its results appear here
          when it finishes.
        </p>
      ) : (
        <p>
          Results (accuracy per class, the confusion matrix, the images the model gets wrong, the exported model) appear
          when a training run finishes. <a href="#/new/environment">Start a new run</a>
          {runs.length > 0 && (
            <>
              {' '}
              or look at <a href="#/runs">your runs</a>
            </>
          )}
          .
        </p>
      )}
    </section>
  );
}

function ResultsOfRun({ runId }: { runId: string }) {
  const results = useCall('runs.results', { id: runId });
  // Only the run's summary is needed for the heading: the smallest snapshot.
  const detail = useCall('runs.get', { id: runId, maxPoints: 10 });
  const summary = detail.data?.summary;
  const title = summary ? `Results: ${summary.name}` : 'Results';

  return (
    <section className="run-results" aria-labelledby="results-title" aria-busy={results.loading}>
      <header className="run-header">
        <div className="run-header-title">
          <h1 id="results-title">{title}</h1>
          {summary && <StatusBadge {...runStatusBadge(summary.status)} />}
        </div>
        {summary && (
          <FactList
            className="run-header-facts"
            facts={[
              {
                label: 'Model',
                value: (
                  <>
                    {modelLabel(summary.modelId, detail.data?.settings.imgSize)}{' '}
                    <code className="muted">{summary.modelId}</code>
                  </>
                ),
              },
              { label: 'Dataset', title: summary.datasetPath, value: folderName(summary.datasetPath) },
              { label: 'Finished', value: formatDateTime(summary.endedAt) },
            ]}
          />
        )}
        <div className="run-header-actions">
          <RerunLinks runId={runId} fromRunId={detail.data?.settings.fromRunId} />
          <a href={`#/runs/${encodeURIComponent(runId)}`}>Training charts and log</a>
          <a href="#/runs">All runs</a>
        </div>
      </header>
      {results.loading && !results.data && <p className="lead">Loading the results…</p>}
      {results.error && <ErrorNotice error={results.error} onRetry={results.reload} />}
      {results.data && <ResultsBody runId={runId} results={results.data} />}
    </section>
  );
}

function ResultsBody({ runId, results }: { runId: string; results: RunResults }) {
  return (
    <>
      <HeadlineMetrics results={results} />
      <ClassMetricsTable rows={results.perClass} />
      <ConfusionMatrix confusion={results.confusion} />
      <MistakesGallery runId={runId} mistakes={results.misclassified} />
      <TryModelPanel runId={runId} />
      <ExportsPanel runId={runId} results={results} />
      <MethodsReport markdown={results.reportMarkdown} />
    </>
  );
}
