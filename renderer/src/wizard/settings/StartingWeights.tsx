import type { ModelId } from '@contract';
import { ImportWeights } from './ImportWeights';
import './weights.css';

/**
 * Settings → Advanced: where the model starts. Pretrained weights (downloaded, or imported with
 * "Import weights…") are the default; "from scratch" is a visible choice with a plain warning and its
 * own recipe (the trainer's recipe.py: DeiT's learning rate and warmup), and needs no download.
 */
export function StartingWeights({
  modelId,
  fromScratch,
  onChange,
}: {
  modelId: ModelId | null;
  fromScratch: boolean;
  onChange: (fromScratch: boolean) => void;
}) {
  return (
    <div className="starting-weights">
      <fieldset className="field" aria-describedby="starting-weights-hint">
        <legend>Starting weights</legend>
        <label className="checkbox">
          <input type="radio" name="starting-weights" checked={!fromScratch} onChange={() => onChange(false)} />
          Pretrained on ImageNet (recommended)
        </label>
        <label className="checkbox">
          <input type="radio" name="starting-weights" checked={fromScratch} onChange={() => onChange(true)} />
          From scratch (random weights)
        </label>
        <p id="starting-weights-hint" className="field-hint">
          Pretrained weights already know shapes and textures, so a few hundred images per class give an accurate model.
        </p>
      </fieldset>
      {fromScratch ? (
        <div className="notice notice-warning" role="note">
          <p className="notice-title">On a small dataset, training from scratch gives a much weaker model.</p>
          <p>
            The model must learn everything from your images alone: expect far lower accuracy than with pretrained
            weights unless you have tens of thousands of images and train for many more epochs (DeiT trained 300).
            Useful as a baseline, or when no weights can be obtained. It uses DeiT’s from-scratch recipe: a higher
            learning rate (5e-4 per 512 images) and 5 warmup epochs (a third of a shorter run). Nothing is downloaded.
          </p>
        </div>
      ) : (
        modelId && <ImportWeights modelId={modelId} />
      )}
    </div>
  );
}
