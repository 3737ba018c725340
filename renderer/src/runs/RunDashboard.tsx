import { PendingScreen } from '../components/PendingScreen';

/** The live dashboard of one run. */
export function RunDashboard({ runId }: { runId: string }) {
  return <PendingScreen title={`Run ${runId}`} />;
}
