import { useCall } from '../../api/hooks';
import type { WizardState } from '../wizard-state';
import { checkDraft } from './settings-draft';
import { useRunEstimate } from './use-run-estimate';

/**
 * The wizard's settings checked against the contract (with the chosen model's image size), the
 * model list and chosen model card they were checked with, and the run estimate for them: what the
 * Settings and the Review steps both show.
 */
export function useCheckedSettings(state: WizardState) {
  const models = useCall('models.list', {});
  const card = models.data?.find((m) => m.id === state.draft.modelId) ?? null;
  const check = checkDraft(state.draft, {
    datasetPath: state.datasetPath,
    valRatio: state.valRatio,
    device: state.device,
    modelImgSize: card?.imgSize ?? null,
  });
  const estimate = useRunEstimate(check.settings);
  return { models, card, check, estimate };
}
