/** The wizard's steps, in order. */
export const WIZARD_STEPS = [
  { id: 'environment', title: 'Environment', hint: 'Check this machine' },
  { id: 'dataset', title: 'Dataset', hint: 'Choose your images' },
  { id: 'settings', title: 'Settings', hint: 'Model and training' },
  { id: 'train', title: 'Train', hint: 'Review, start, watch' },
  { id: 'results', title: 'Results', hint: 'Metrics and exports' },
] as const;

export type WizardStepId = (typeof WIZARD_STEPS)[number]['id'];

export function isWizardStep(id: string | undefined): id is WizardStepId {
  return WIZARD_STEPS.some((step) => step.id === id);
}
