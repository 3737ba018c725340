import { z } from 'zod';
import { ModelId, settingsDefaults, type SettingsDefaults } from '@contract';
import type { SettingsDraft } from './settings-draft';

/**
 * The machine- and dataset-dependent defaults (the contract's `settingsDefaults`) as form text, and
 * how a draft follows them: when the device or the dataset changes, each of these fields that still
 * holds the previous default takes the new one; a value the user typed stays.
 */
export const DraftDefaults = z.object({
  modelId: ModelId,
  epochs: z.string(),
  imgSize: z.string(),
  fromScratch: z.boolean().default(false),
});
export type DraftDefaults = z.infer<typeof DraftDefaults>;

/** The defaults as the form holds them (an empty image size: the model's own). */
export function toDraftDefaults(defaults: SettingsDefaults): DraftDefaults {
  return {
    modelId: defaults.modelId,
    epochs: String(defaults.epochs),
    imgSize: defaults.imgSize === null ? '' : String(defaults.imgSize),
    fromScratch: !defaults.pretrained,
  };
}

/** The form defaults for a device, the scan's typical picture size, and whether weights can be had. */
export function draftDefaultsFor(
  device: 'gpu' | 'cpu',
  typicalSize: { width: number; height: number } | null | undefined,
  weightsUnavailable = false,
): DraftDefaults {
  return toDraftDefaults(settingsDefaults({ device, typicalSize, weightsUnavailable }));
}

export function sameDefaults(a: DraftDefaults, b: DraftDefaults): boolean {
  return a.modelId === b.modelId && a.epochs === b.epochs && a.imgSize === b.imgSize && a.fromScratch === b.fromScratch;
}

/** The draft with every field still at its `previous` default moved to the `next` one. */
export function rebaseDraft(draft: SettingsDraft, previous: DraftDefaults, next: DraftDefaults): SettingsDraft {
  const patch: Partial<SettingsDraft> = {};
  if (draft.modelId === previous.modelId) patch.modelId = next.modelId;
  if (draft.epochs.trim() === previous.epochs) patch.epochs = next.epochs;
  if (draft.imgSize.trim() === previous.imgSize) patch.imgSize = next.imgSize;
  if (draft.fromScratch === previous.fromScratch) patch.fromScratch = next.fromScratch;
  return { ...draft, ...patch };
}
