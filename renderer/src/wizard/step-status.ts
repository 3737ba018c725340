import type { WizardStepId } from '../app/steps';
import { datasetBlocker } from './dataset/dataset-blocker';
import { checkDraft } from './settings/settings-draft';
import type { WizardState } from './wizard-state';

/** Which wizard steps are complete, for the ✓ marks in the sidebar. */
export function completedSteps(state: WizardState): Set<WizardStepId> {
  const done = new Set<WizardStepId>();
  const m = state.machine;
  if (m && (m.gpuReady || (m.cpuFallback && state.device === 'cpu')) && m.imageReady) done.add('environment');
  if (state.scan && datasetBlocker(state.scan) === null) done.add('dataset');
  const check = checkDraft(state.draft, {
    datasetPath: state.datasetPath ?? '/',
    valRatio: state.valRatio,
    device: state.device,
    modelImgSize: null,
  });
  if (state.settingsVisited && Object.keys(check.fieldErrors).length === 0) done.add('settings');
  return done;
}
