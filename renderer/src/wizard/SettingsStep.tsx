import { PendingScreen } from '../components/PendingScreen';

/** Step 3: model and training settings. */
export function SettingsStep() {
  return <PendingScreen title="Settings" />;
}
