import type { ModelCard, ModelId } from '@contract';
import { formatCount } from '../../components/format';

/** "≈ 7,750 images/s on the H100" — or why it is unknown. */
function speedText(card: ModelCard, gpuName: string | null, cpuMode: boolean): string {
  if (cpuMode) return 'Much slower on the CPU';
  if (card.expectedImgPerS === null) return 'Speed unknown on this machine';
  return `≈ ${formatCount(Math.round(card.expectedImgPerS))} images/s${gpuName ? ` on the ${gpuName}` : ''}`;
}

/** "Images: 224 px", or the chosen size and the model's own: "Images: 32 px (made for 224)". */
function imagesText(card: ModelCard, imgSize: number | null): string {
  if (imgSize === null || imgSize === card.imgSize) return `Images: ${card.imgSize} px`;
  return `Images: ${imgSize} px (made for ${card.imgSize})`;
}

/**
 * The models as plain cards, one radio button each: Tab reaches the group, arrow keys move the
 * choice (the browser's own radio behaviour, which screen readers know).
 */
export function ModelCards({
  models,
  value,
  onChange,
  gpuName,
  cpuMode,
  error,
  imgSize = null,
  recommendedId,
}: {
  models: ModelCard[];
  value: ModelId | null;
  onChange: (id: ModelId) => void;
  gpuName: string | null;
  cpuMode: boolean;
  error?: string;
  /** The image size typed in the settings (null: each model's own). */
  imgSize?: number | null;
  /** The model the defaults start from: tagged "Recommended". */
  recommendedId: ModelId;
}) {
  return (
    <fieldset className="model-cards" aria-describedby={error ? 'model-error' : undefined}>
      <legend>Model</legend>
      <p className="field-hint">
        {cpuMode
          ? 'On the processor every model is slow; DeiT-Ti, the smallest, is the one to start with.'
          : 'Bigger models can be more accurate but train slower and need more GPU memory. DeiT-S is a good start.'}
      </p>
      {error && (
        <p id="model-error" className="field-error">
          <span aria-hidden="true">✕ </span>
          {error}
        </p>
      )}
      <div className="cards-grid">
        {models.map((card) => {
          const checked = card.id === value;
          return (
            <label key={card.id} className={checked ? 'model-card selected' : 'model-card'}>
              <input
                type="radio"
                name="model"
                value={card.id}
                checked={checked}
                onChange={() => onChange(card.id)}
                aria-labelledby={`model-${card.id}-title`}
                aria-describedby={`model-${card.id}-facts`}
              />
              <span className="model-card-head">
                <span id={`model-${card.id}-title`} className="model-card-title">
                  {card.title}
                </span>
                <span className="model-card-family">{card.family}</span>
                {card.id === recommendedId && <span className="model-card-tag">Recommended</span>}
                {checked && (
                  <span className="model-card-check">
                    <span aria-hidden="true">✓</span> Chosen
                  </span>
                )}
              </span>
              <span id={`model-${card.id}-facts`} className="model-card-facts">
                <span className="model-card-description">{card.description}</span>
                <span>Size: {card.paramsM.toFixed(1)} M parameters</span>
                <span>{imagesText(card, imgSize)}</span>
                <span>Speed: {speedText(card, gpuName, cpuMode)}</span>
                <span>GPU memory: ≈ {card.memoryGiBAt64.toFixed(1)} GiB at batch 64</span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
