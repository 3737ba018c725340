import type { DraftField, SettingsDraft } from './settings-draft';
import { TextField } from './FormFields';

/** Epochs and batch size: the two settings most users touch. */
export function TrainingFields({
  draft,
  errors,
  onChange,
  cpuMode = false,
}: {
  draft: SettingsDraft;
  errors: Partial<Record<DraftField, string>>;
  onChange: (patch: Partial<SettingsDraft>) => void;
  /** On the processor: few epochs first (processor-defaults.ts). */
  cpuMode?: boolean;
}) {
  return (
    <div className="field-row">
      <TextField
        id="epochs"
        label="Epochs"
        numeric="numeric"
        value={draft.epochs}
        error={errors.epochs}
        onChange={(epochs) => onChange({ epochs })}
        hint={
          cpuMode
            ? 'How many times training goes through all your images. On the processor, a few show whether the model learns; more help, at the time the estimate below says.'
            : 'How many times training goes through all your images. 10 suits most fine-tunes.'
        }
      />
      <fieldset className="field batch-size" aria-describedby="batch-hint">
        <legend>Batch size</legend>
        <label className="checkbox">
          <input
            type="radio"
            name="batch-mode"
            checked={draft.batchMode === 'auto'}
            onChange={() => onChange({ batchMode: 'auto' })}
          />
          Auto (recommended)
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="batch-mode"
            checked={draft.batchMode === 'fixed'}
            onChange={() => onChange({ batchMode: 'fixed' })}
          />
          Fixed:
        </label>
        <input
          id="batch-size"
          type="text"
          inputMode="numeric"
          aria-label="Batch size"
          className="batch-size-input"
          value={draft.batchSize}
          disabled={draft.batchMode === 'auto'}
          aria-invalid={errors.batchSize ? true : undefined}
          aria-describedby={errors.batchSize ? 'batch-size-error batch-hint' : 'batch-hint'}
          onChange={(e) => onChange({ batchSize: e.target.value })}
        />
        {errors.batchSize && (
          <p id="batch-size-error" className="field-error">
            <span aria-hidden="true">✕ </span>
            {errors.batchSize}
          </p>
        )}
        <p id="batch-hint" className="field-hint">
          Images per training step (on each GPU, when a run uses several). Auto gives small datasets enough steps per
          epoch (at least 30 where it can, never below 16 images), and large ones the largest batch that fits in GPU
          memory.
        </p>
      </fieldset>
    </div>
  );
}
