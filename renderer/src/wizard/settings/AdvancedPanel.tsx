import { useState } from 'react';
import { CheckboxField, SelectField, TextField } from './FormFields';
import { ImageSizeField } from './ImageSizeField';
import { DEFAULT_DRAFT, type DraftField, type SettingsDraft } from './settings-draft';
import { StartingWeights } from './StartingWeights';

const ADVANCED_FIELDS: DraftField[] = [
  'learningRate',
  'imgSize',
  'augment',
  'precision',
  'compile',
  'freezeBackbone',
  'earlyStopping',
  'earlyStoppingPatience',
  'seed',
  'ema',
  'layerDecay',
  'classBalance',
  'fromScratch',
];

/** The advanced fields in the panel: on the processor the image size is shown under Training instead. */
function panelFields(showImageSize: boolean): DraftField[] {
  return showImageSize ? ADVANCED_FIELDS : ADVANCED_FIELDS.filter((f) => f !== 'imgSize');
}

/** How many advanced settings differ from their defaults (shown on the closed panel). */
export function changedAdvancedCount(draft: SettingsDraft, showImageSize = true): number {
  return panelFields(showImageSize).filter((f) => f !== 'earlyStoppingPatience' && draft[f] !== DEFAULT_DRAFT[f])
    .length;
}

/** The settings most users leave alone, each with its default and a one-line explanation. */
export function AdvancedPanel({
  draft,
  errors,
  onChange,
  modelImgSize,
  showImageSize = true,
  typicalSize,
}: {
  draft: SettingsDraft;
  errors: Partial<Record<DraftField, string>>;
  onChange: (patch: Partial<SettingsDraft>) => void;
  modelImgSize: number | null;
  /** False when the image size is shown under Training (on the processor). */
  showImageSize?: boolean;
  /** The scan's median picture size, for the image size's suggestion. */
  typicalSize?: { width: number; height: number } | null;
}) {
  const [userOpen, setUserOpen] = useState(false);
  const fields = panelFields(showImageSize);
  const hasErrors = fields.some((f) => errors[f]);
  // A problem in a hidden field would block Next without showing why: open the panel instead.
  const open = userOpen || hasErrors;
  const changed = changedAdvancedCount(draft, showImageSize);

  return (
    <section className="advanced" aria-labelledby="advanced-title">
      <h2 id="advanced-title" className="advanced-heading">
        <button type="button" aria-expanded={open} aria-controls="advanced-fields" onClick={() => setUserOpen(!open)}>
          <span aria-hidden="true">{open ? '▾ ' : '▸ '}</span>
          Advanced settings
          <span className="advanced-count">{changed === 0 ? ' (all defaults)' : ` (${changed} changed)`}</span>
        </button>
      </h2>
      {open && (
        <div id="advanced-fields" className="advanced-fields">
          <TextField
            id="learning-rate"
            label="Learning rate"
            numeric="decimal"
            placeholder="auto"
            value={draft.learningRate}
            error={errors.learningRate}
            onChange={(learningRate) => onChange({ learningRate })}
            hint="How big each learning step is. Leave empty to scale it to the batch size (recommended): 1e-4 × √(batch / 256) fine-tuning (1e-3 with a frozen backbone), 5e-4 × √(batch / 512) from scratch — the square root, where the DeiT paper scales linearly, so small batches still learn."
          />
          {showImageSize && (
            <ImageSizeField
              value={draft.imgSize}
              error={errors.imgSize}
              onChange={(imgSize) => onChange({ imgSize })}
              modelImgSize={modelImgSize}
              typicalSize={typicalSize}
            />
          )}
          <SelectField
            id="augment"
            label="Augmentation"
            value={draft.augment}
            onChange={(augment) => onChange({ augment })}
            options={[
              { value: 'light', label: 'Light' },
              { value: 'standard', label: 'Standard (default)' },
              { value: 'strong', label: 'Strong' },
            ]}
            hint="Random crops, flips and colour changes so the model learns more from fewer images."
          />
          <SelectField
            id="precision"
            label="Precision"
            value={draft.precision}
            onChange={(precision) => onChange({ precision })}
            options={[
              { value: 'auto', label: 'Auto (default)' },
              { value: 'bf16', label: 'bf16' },
              { value: 'fp16', label: 'fp16' },
              { value: 'fp32', label: 'fp32 (slowest)' },
            ]}
            hint="Number format on the GPU. Auto uses bf16 where supported: about twice as fast, same accuracy."
          />
          <SelectField
            id="compile"
            label="Compile the model"
            value={draft.compile}
            onChange={(compile) => onChange({ compile })}
            options={[
              { value: 'auto', label: 'Auto (default)' },
              { value: 'on', label: 'On' },
              { value: 'off', label: 'Off' },
            ]}
            hint="torch.compile trains faster after a minute of warm-up; Auto uses it for longer GPU runs."
          />
          <CheckboxField
            id="freeze-backbone"
            label="Train only the last layer (frozen backbone)"
            checked={draft.freezeBackbone}
            onChange={(freezeBackbone) => onChange({ freezeBackbone })}
            hint="Much faster and lighter on memory, but usually less accurate. Off by default."
          />
          <CheckboxField
            id="early-stopping"
            label="Stop early when accuracy stops improving"
            checked={draft.earlyStopping}
            onChange={(earlyStopping) => onChange({ earlyStopping })}
            hint="Saves time when more epochs no longer help. Off by default: all epochs run."
          >
            {draft.earlyStopping && (
              <TextField
                id="patience"
                label="Epochs without improvement before stopping"
                numeric="numeric"
                value={draft.earlyStoppingPatience}
                error={errors.earlyStoppingPatience}
                onChange={(earlyStoppingPatience) => onChange({ earlyStoppingPatience })}
                hint="5 is a patient choice."
              />
            )}
          </CheckboxField>
          <TextField
            id="seed"
            label="Random seed"
            numeric="numeric"
            value={draft.seed}
            error={errors.seed}
            onChange={(seed) => onChange({ seed })}
            hint="Fixes the random choices, so the same settings give the same result. Default 0."
          />
          <CheckboxField
            id="ema"
            label="Keep an average of the weights (EMA)"
            checked={draft.ema}
            onChange={(ema) => onChange({ ema })}
            hint="A smoothed copy of the model that often does slightly better on new images. Off by default."
          />
          <TextField
            id="layer-decay"
            label="Layer-wise learning-rate decay"
            numeric="decimal"
            value={draft.layerDecay}
            error={errors.layerDecay}
            onChange={(layerDecay) => onChange({ layerDecay })}
            hint="Early layers of the pretrained model change less than the last ones (each layer down learns this much slower). 0.75 by default; 1 turns it off."
          />
          <SelectField
            id="class-balance"
            label="Balance the classes"
            value={draft.classBalance}
            onChange={(classBalance) => onChange({ classBalance })}
            options={[
              { value: 'none', label: 'No (default)' },
              { value: 'weights', label: 'Weight rare classes more' },
            ]}
            hint="When some classes have far fewer images, weighting their mistakes more keeps the model from ignoring them."
          />
          <StartingWeights
            modelId={draft.modelId}
            fromScratch={draft.fromScratch}
            onChange={(fromScratch) => onChange({ fromScratch })}
          />
          <p className="field-hint">
            <button
              type="button"
              onClick={() => onChange(pickAdvanced(DEFAULT_DRAFT, fields))}
              disabled={changed === 0}
            >
              Reset advanced settings
            </button>
          </p>
        </div>
      )}
    </section>
  );
}

/** The advanced fields of a draft (to reset them to defaults). */
function pickAdvanced(draft: SettingsDraft, fields: DraftField[]): Partial<SettingsDraft> {
  return Object.fromEntries(fields.map((f) => [f, draft[f]])) as Partial<SettingsDraft>;
}
