import type { DatasetScan } from '@contract';
import { datasetBlocker } from '../dataset/dataset-blocker';
import type { DraftCheck } from '../settings/settings-draft';
import type { WizardState } from '../wizard-state';

/** Something that must be done on an earlier step before training can start. */
export interface MissingStep {
  step: 'environment' | 'dataset' | 'settings';
  text: string;
}

/** What still stands between the user and Start, step by step (empty when ready). */
export function missingBeforeStart(
  state: WizardState,
  imageReady: boolean | null,
  check: DraftCheck,
  scan: DatasetScan | null,
  /** The image status said Docker is not answering (state 'unknown'): that, not the image, is what to fix. */
  dockerSilent = false,
): MissingStep[] {
  const missing: MissingStep[] = [];
  const machine = state.machine;
  if (!machine) missing.push({ step: 'environment', text: 'Check this machine on the Environment step.' });
  else if (!machine.gpuReady && !(machine.cpuFallback && state.device === 'cpu'))
    missing.push({
      step: 'environment',
      text: machine.cpuFallback
        ? 'No GPU can be used: fix it or choose CPU mode (slow) on the Environment step.'
        : 'This machine cannot train yet: see the Environment step.',
    });
  if (machine && dockerSilent)
    missing.push({
      step: 'environment',
      text: 'Docker is not answering: start Docker, then check again on the Environment step.',
    });
  else if (machine && !(imageReady ?? machine.imageReady))
    missing.push({ step: 'environment', text: 'Prepare the training image on the Environment step.' });
  if (!scan) missing.push({ step: 'dataset', text: 'Choose and scan your image folder on the Dataset step.' });
  else {
    const blocker = datasetBlocker(scan);
    if (blocker) missing.push({ step: 'dataset', text: blocker });
  }
  if (Object.keys(check.fieldErrors).length > 0)
    missing.push({ step: 'settings', text: 'Fix the settings marked in red on the Settings step.' });
  return missing;
}
