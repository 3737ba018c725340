import type { RunSettings } from '@contract';
import { DEFAULT_DRAFT, type SettingsDraft } from '../settings/settings-draft';
import type { WizardState } from '../wizard-state';

/**
 * "Start a new run from these settings": a run's recorded settings as the wizard's form text, and the
 * wizard state that holds them (its folder, validation share and device too). The folder is scanned
 * again on the Dataset step (the scan is not part of a run's record).
 *
 *   update(wizardFromRun(detail.settings, runId));
 */
export function draftFromSettings(s: RunSettings, fromRunId: string): SettingsDraft {
  return {
    name: '',
    modelId: s.modelId,
    epochs: String(s.epochs),
    batchMode: s.batchSize === 'auto' ? 'auto' : 'fixed',
    batchSize: s.batchSize === 'auto' ? DEFAULT_DRAFT.batchSize : String(s.batchSize),
    learningRate: s.learningRate === null ? '' : String(s.learningRate),
    imgSize: String(s.imgSize),
    augment: s.augment,
    precision: s.precision,
    compile: s.compile === 'auto' ? 'auto' : s.compile ? 'on' : 'off',
    freezeBackbone: s.freezeBackbone,
    earlyStopping: s.earlyStoppingPatience !== null,
    earlyStoppingPatience: String(s.earlyStoppingPatience ?? DEFAULT_DRAFT.earlyStoppingPatience),
    seed: String(s.seed),
    ema: s.ema,
    layerDecay: String(s.layerDecay),
    classBalance: s.classBalance,
    fromScratch: !s.pretrained,
    gpuIds: [...s.gpuIds],
    fromRunId,
  };
}

/** The wizard state's part that a run's settings fill in. */
export function wizardFromRun(s: RunSettings, fromRunId: string): Partial<WizardState> {
  return {
    folderInput: s.datasetPath,
    datasetPath: s.datasetPath,
    valRatio: s.valRatio,
    scan: null,
    device: s.device,
    draft: draftFromSettings(s, fromRunId),
    settingsVisited: true,
  };
}
