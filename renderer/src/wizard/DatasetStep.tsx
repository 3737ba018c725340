import { PendingScreen } from '../components/PendingScreen';

/** Step 2: choose and scan the dataset folder. */
export function DatasetStep() {
  return <PendingScreen title="Dataset" />;
}
