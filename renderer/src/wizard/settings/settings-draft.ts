import {
  AugmentPreset,
  ClassBalance,
  DEFAULT_LAYER_DECAY,
  ModelId,
  Precision,
  RunSettings,
  type RunSettingsInput,
} from '@contract';
import { z } from 'zod';

/**
 * The settings form as the user types it: text stays text until the run is built, so a half-typed
 * "0." is kept and shown as invalid instead of being silently dropped.
 */
export const SettingsDraft = z.object({
  name: z.string(),
  modelId: ModelId.nullable(),
  epochs: z.string(),
  batchMode: z.enum(['auto', 'fixed']),
  batchSize: z.string(),
  /** Empty means automatic (scaled to the batch size by the trainer). */
  learningRate: z.string(),
  /** Empty means the chosen model's own size. */
  imgSize: z.string(),
  augment: AugmentPreset,
  precision: Precision,
  compile: z.enum(['auto', 'on', 'off']),
  freezeBackbone: z.boolean(),
  earlyStopping: z.boolean(),
  earlyStoppingPatience: z.string(),
  seed: z.string(),
  ema: z.boolean(),
  /** Layer-wise lr decay as typed (1 = off). */
  layerDecay: z.string(),
  classBalance: ClassBalance,
  /** Start from random weights instead of pretrained ones (RunSettings.pretrained = false). */
  fromScratch: z.boolean(),
  /** Driver indices of the GPUs to use; empty means all. */
  gpuIds: z.array(z.string()),
  /** The run these settings were copied from ("Start a new run from these settings"); the new run records it. */
  fromRunId: z.string().optional(),
});
export type SettingsDraft = z.infer<typeof SettingsDraft>;

/** A field of the settings form. */
export type DraftField = keyof SettingsDraft;

/** The model a newcomer should start with: accurate and fast to fine-tune. */
export const DEFAULT_MODEL_ID: ModelId = 'deit_small_patch16_224';

/** The form's starting values: the same defaults as `RunSettings`. */
export const DEFAULT_DRAFT: SettingsDraft = {
  name: '',
  modelId: DEFAULT_MODEL_ID,
  epochs: '10',
  batchMode: 'auto',
  batchSize: '64',
  learningRate: '',
  imgSize: '',
  augment: 'standard',
  precision: 'auto',
  compile: 'auto',
  freezeBackbone: false,
  earlyStopping: false,
  earlyStoppingPatience: '5',
  seed: '0',
  ema: false,
  layerDecay: String(DEFAULT_LAYER_DECAY),
  classBalance: 'none',
  fromScratch: false,
  gpuIds: [],
};

/** What the form does not hold but a run needs: chosen on other steps. */
export interface DraftContext {
  datasetPath: string | null;
  valRatio: number;
  device: 'gpu' | 'cpu';
  /** The chosen model's native image size, used when the field is empty. */
  modelImgSize: number | null;
}

/** Why a field is invalid, in words that say what is allowed (the rule itself is the contract's). */
const FIELD_RULES: Partial<Record<DraftField, string>> = {
  name: 'Use at most 120 characters.',
  modelId: 'Choose one of the models.',
  epochs: 'Enter a whole number of epochs from 1 to 1000.',
  batchSize: 'Enter a whole number from 1 to 4096, or choose Auto.',
  learningRate: 'Enter a positive number up to 1 (for example 0.0005), or leave it empty for automatic.',
  imgSize: 'Enter a multiple of 16 from 16 to 1024 (for example 224 or 384), or leave it empty.',
  earlyStoppingPatience: 'Enter a whole number of epochs from 1 to 1000.',
  seed: 'Enter a whole number from 0 to 2147483647.',
  layerDecay: 'Enter a number above 0 and at most 1 (for example 0.75; 1 turns it off).',
};

// Which form field shows a problem the contract finds in a RunSettings key.
const FIELD_OF: Partial<Record<keyof RunSettings, DraftField>> = {
  name: 'name',
  modelId: 'modelId',
  epochs: 'epochs',
  batchSize: 'batchSize',
  learningRate: 'learningRate',
  imgSize: 'imgSize',
  augment: 'augment',
  precision: 'precision',
  compile: 'compile',
  freezeBackbone: 'freezeBackbone',
  earlyStoppingPatience: 'earlyStoppingPatience',
  seed: 'seed',
  ema: 'ema',
  layerDecay: 'layerDecay',
  classBalance: 'classBalance',
  pretrained: 'fromScratch',
  gpuIds: 'gpuIds',
};

/** The result of checking the form: the run's settings when valid, else what to fix where. */
export interface DraftCheck {
  settings: RunSettings | null;
  fieldErrors: Partial<Record<DraftField, string>>;
  /** Problems that belong to no field on this step (e.g. no dataset chosen yet). */
  otherErrors: string[];
}

/** Text → number for the contract to judge: empty stays undefined, anything unparsable becomes NaN. */
function numberOrUndefined(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** The contract's input for this draft, before validation. */
export function draftToInput(draft: SettingsDraft, context: DraftContext): Record<string, unknown> {
  const input: Record<string, unknown> = {
    datasetPath: context.datasetPath ?? '',
    valRatio: context.valRatio,
    modelId: draft.modelId ?? undefined,
    epochs: numberOrUndefined(draft.epochs) ?? Number.NaN,
    batchSize: draft.batchMode === 'auto' ? 'auto' : (numberOrUndefined(draft.batchSize) ?? Number.NaN),
    learningRate: numberOrUndefined(draft.learningRate) ?? null,
    imgSize: numberOrUndefined(draft.imgSize) ?? context.modelImgSize ?? undefined,
    augment: draft.augment,
    precision: draft.precision,
    compile: draft.compile === 'auto' ? 'auto' : draft.compile === 'on',
    freezeBackbone: draft.freezeBackbone,
    earlyStoppingPatience: draft.earlyStopping ? (numberOrUndefined(draft.earlyStoppingPatience) ?? Number.NaN) : null,
    seed: numberOrUndefined(draft.seed) ?? Number.NaN,
    ema: draft.ema,
    layerDecay: numberOrUndefined(draft.layerDecay) ?? Number.NaN,
    classBalance: draft.classBalance,
    pretrained: !draft.fromScratch,
    device: context.device,
    // GPU choices mean nothing on the CPU.
    gpuIds: context.device === 'cpu' ? [] : draft.gpuIds,
  };
  const name = draft.name.trim();
  if (name) input.name = name;
  if (draft.fromRunId) input.fromRunId = draft.fromRunId;
  return input satisfies Partial<Record<keyof RunSettingsInput, unknown>>;
}

/** Checks the draft with the contract's own `RunSettings` schema, the same rules the core applies. */
export function checkDraft(draft: SettingsDraft, context: DraftContext): DraftCheck {
  const parsed = RunSettings.safeParse(draftToInput(draft, context));
  if (parsed.success) return { settings: parsed.data, fieldErrors: {}, otherErrors: [] };
  const fieldErrors: Partial<Record<DraftField, string>> = {};
  const otherErrors: string[] = [];
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as keyof RunSettings | undefined;
    const field = key === undefined ? undefined : FIELD_OF[key];
    if (field) fieldErrors[field] ??= FIELD_RULES[field] ?? issue.message;
    else if (key === 'datasetPath') otherErrors.push('Choose a dataset folder on the Dataset step.');
    else otherErrors.push(`${String(key ?? 'settings')}: ${issue.message}`);
  }
  return { settings: null, fieldErrors, otherErrors: [...new Set(otherErrors)] };
}
