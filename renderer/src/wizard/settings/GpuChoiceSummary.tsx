import { perGpuBatch } from '@contract';
import type { SettingsDraft } from './settings-draft';

/**
 * The learning-rate rule of the trainer (docker/deit_trainer/recipe.py `default_lr`): square-root
 * scaling with the global batch (all GPUs' images of one step together).
 */
export function lrRule(draft: Pick<SettingsDraft, 'freezeBackbone' | 'fromScratch'>): { base: number; per: number } {
  if (draft.fromScratch && !draft.freezeBackbone) return { base: 5e-4, per: 512 }; // DeiT's own recipe
  return { base: draft.freezeBackbone ? 1e-3 : 1e-4, per: 256 };
}

/**
 * Where the automatic learning rate's rule comes from, in one line: recipe.py's square-root rule, and
 * why it differs from the DeiT paper's linear one (its default_lr docstring: right for AdamW, and a
 * small batch still learns — linearly, batch 16 from scratch would get 1.6e-5).
 */
export const LR_RULE_SOURCE =
  'The trainer’s rule (recipe.py): square root of the batch; the DeiT paper scales linearly (5e-4 × batch / 512), which leaves small batches too small a step.';

/** 0.0001 → "1e-4", 7.07e-5 → "7.1e-5": how learning rates are written. */
const sig = (value: number) => {
  const [mantissa, exponent] = value.toExponential(1).split('e');
  return `${mantissa!.replace(/\.0$/, '')}e${Number(exponent)}`;
};

/**
 * What follows from the chosen GPUs: how many, the batch on each and in all, and the learning rate
 * that follows from the global batch. Data-parallel training runs one copy of the model per GPU,
 * each on its own share of every step's images.
 */
export function GpuChoiceSummary({
  count,
  draft,
  nTrain,
}: {
  count: number;
  draft: Pick<SettingsDraft, 'batchMode' | 'batchSize' | 'learningRate' | 'freezeBackbone' | 'fromScratch'>;
  /** Training images of the scanned dataset (0 when not known yet): the automatic batch rule needs them. */
  nTrain: number;
}) {
  const fixed = draft.batchMode === 'fixed' && /^\d+$/.test(draft.batchSize.trim()) ? Number(draft.batchSize) : null;
  // The trainer's rule sees each process's share of the images; the run estimate uses the same function.
  const auto = fixed === null && nTrain > 0 ? perGpuBatch(nTrain, count, 'auto') : null;
  const perGpu = fixed ?? auto;
  const global = perGpu === null ? null : perGpu * count;
  const { base, per } = lrRule(draft);
  const typedLr = draft.learningRate.trim();
  const unless = auto !== null ? ' — lower if the batch is lowered to fit memory' : '';
  return (
    <dl className="gpu-choice-summary" aria-label="What the GPU choice means">
      <dt>GPUs</dt>
      <dd>{count}</dd>
      <dt>Batch per GPU</dt>
      <dd>
        {fixed !== null
          ? fixed
          : auto !== null
            ? `automatic: ${auto} (${nTrain.toLocaleString('en-US')} training images shared by ${count} GPUs, at least 30 steps an epoch; smaller if one GPU’s memory holds fewer)`
            : 'automatic (the largest that fits one GPU’s memory, chosen at the start)'}
      </dd>
      <dt>Global batch</dt>
      <dd>{global === null ? `${count} × the batch per GPU` : `${count} × ${perGpu} = ${global} images per step`}</dd>
      <dt>Learning rate</dt>
      <dd>
        {typedLr
          ? `${typedLr}, as you set it, for the global batch`
          : global === null
            ? `scales with the global batch: ${sig(base)} × √(global batch / ${per})`
            : `${sig(base * Math.sqrt(global / per))} (${sig(base)} × √(${global} / ${per}), scaled with the global batch${unless})`}
        {!typedLr && <span className="field-hint gpu-lr-source">{LR_RULE_SOURCE}</span>}
      </dd>
    </dl>
  );
}
