import { PendingScreen } from '../components/PendingScreen';

/** All runs with status, model, dataset, best accuracy, duration. */
export function RunsList() {
  return <PendingScreen title="Runs" />;
}
