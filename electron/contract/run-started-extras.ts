import { z } from 'zod';

/**
 * Fields of `run_started` that the trainer writes but the app does not read (all optional). They are
 * typed here, not left to `looseObject`, because docker/protocol/events.schema.json is generated from
 * the zod definitions (`node scripts/gen-events-schema.mjs`) and the trainer's tests validate every
 * event against it: a field the schema names is a field whose type is checked.
 */
const int = z.number().int();
const num = z.number();
const nullableStr = z.string().nullable();

/** `run_started.dataset`: per-class image counts and how the split was drawn. */
export const DatasetExtras = {
  train_per_class: z.array(int).optional(),
  val_per_class: z.array(int).optional(),
  test_per_class: z.array(int).optional(),
  val_ratio: num.nullable().optional(),
  test_ratio: num.nullable().optional(),
  split_seed: int.nullable().optional(),
};

/** `run_started.preprocessing`: the model's eval resize before the centre crop (val, test, predictions, exports). */
export const Preprocessing = z.looseObject({
  resize: int.optional(),
  crop_pct: num.optional(),
  interpolation: z.enum(['bicubic', 'bilinear']).optional(),
});

/** `run_started.recipe`: the resolved training recipe (docker/deit_trainer/recipe.py). */
export const RecipeExtras = {
  lr: num.optional(),
  min_lr: num.optional(),
  weight_decay: num.optional(),
  warmup_steps: int.optional(),
  label_smoothing: num.optional(),
  augment: z.enum(['light', 'standard', 'strong']).optional(),
  ema_decay: num.nullable().optional(),
  drop_path: num.optional(),
  freeze_backbone: z.boolean().optional(),
  pretrained: z.boolean().optional(),
  init_checkpoint: nullableStr.optional(),
  seed: int.optional(),
  fused_optimizer: z.boolean().optional(),
  num_workers: int.optional(),
  /** Where the starting weights came from (model.weights_source). */
  weights: z
    .looseObject({
      kind: z.enum(['hub', 'imported', 'scratch', 'checkpoint']),
      repo: z.string().optional(),
      revision: nullableStr.optional(),
      file: nullableStr.optional(),
      sha256: nullableStr.optional(),
      path: z.string().optional(),
    })
    .optional(),
};
