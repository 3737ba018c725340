import { PendingScreen } from '../components/PendingScreen';

/** Results of a finished run. `runId` undefined: the most recent run. */
export function RunResultsView({ runId }: { runId?: string }) {
  return <PendingScreen title={runId ? `Results of ${runId}` : 'Results'} />;
}
