import { PendingScreen } from '../components/PendingScreen';

/** Step 4: review everything and start; then the run's live dashboard takes over. */
export function TrainStep() {
  return <PendingScreen title="Train" />;
}
