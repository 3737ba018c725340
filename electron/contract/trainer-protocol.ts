import { z } from 'zod';
import { DatasetExtras, Preprocessing, RecipeExtras } from './run-started-extras';

/**
 * The trainer's event stream, version 1: one JSON object per line on stdout and in `metrics.jsonl`.
 * Documented in docs/trainer-protocol.md. The source of truth for docker/protocol/events.schema.json,
 * which the trainer's tests validate against: after changing an event run `node scripts/gen-events-schema.mjs`
 * (events-json-schema.ts). Both sides' tests read docker/protocol/fixtures/.
 * Unknown fields are allowed (newer trainers may add some); unknown `type`s are kept as `unknown`.
 */
export const PROTOCOL_VERSION = 1;

const base = {
  v: z.literal(1),
  seq: z.number().int().nonnegative(),
  time: z.number(), // unix seconds
};

const num = z.number();
const nullableNum = z.number().nullable();

export const TrainerErrorKind = z.enum([
  'config_invalid',
  'dataset_not_found',
  'dataset_empty',
  'dataset_one_class',
  'weights_missing',
  'checkpoint_invalid',
  'out_of_memory',
  'internal',
]);
export type TrainerErrorKind = z.infer<typeof TrainerErrorKind>;

/** What picks the best epoch: val top-1, or balanced accuracy when the classes are imbalanced. */
export const SelectionMetric = z.enum(['top1', 'balanced_accuracy']);
export type SelectionMetric = z.infer<typeof SelectionMetric>;

/** Why the batch size is what it is: set in the settings, chosen automatically, or lowered after running out of memory. */
export const BatchReason = z.enum(['auto', 'config', 'out_of_memory']);
/** What decided an automatic batch size (docker/deit_trainer/batching.py; electron/contract/batch-rule.ts). */
export const BatchLimit = z.enum(['dataset', 'min_batch', 'steps', 'memory', 'max', 'cpu', 'config']);
export type BatchLimit = z.infer<typeof BatchLimit>;
/** The batch size's record in `run_started` (absent in older runs). */
export const BatchChoiceRecord = z.looseObject({
  reason: BatchReason,
  limit: BatchLimit.nullable(),
  /** One plain sentence, e.g. "Batch size 32: the largest batch that still gives at least 30 steps per epoch …". */
  why: z.string(),
});

export const SkippedFile = z.object({ path: z.string(), reason: z.string() });
export type SkippedFile = z.infer<typeof SkippedFile>;

export const RunStartedEvent = z.looseObject({
  ...base,
  type: z.literal('run_started'),
  run_id: z.string(),
  resumed: z.boolean(),
  start_epoch: z.number().int(),
  /** The global step this attempt continues after: 0 on a fresh start, the checkpoint's on a resume (older trainers: absent). */
  start_global_step: z.number().int().nonnegative().optional(),
  epochs: z.number().int(),
  steps_per_epoch: z.number().int(),
  total_steps: z.number().int(),
  /** Images per step of each training process (per GPU). */
  batch_size: z.number().int(),
  batch: BatchChoiceRecord.optional(),
  /** Training processes, one per GPU (torchrun; 1 = one process). Absent in older runs: 1. */
  world_size: z.number().int().positive().optional(),
  /** Images per optimizer step over all processes: batch_size × world_size. Absent in older runs. */
  global_batch_size: z.number().int().positive().optional(),
  model: z.string(),
  img_size: z.number().int(),
  precision: z.enum(['bf16', 'fp16', 'fp32']),
  compile: z.boolean(),
  versions: z.looseObject({ python: z.string(), torch: z.string(), timm: z.string(), cuda: z.string().nullable() }),
  device: z.looseObject({
    kind: z.enum(['cuda', 'cpu']),
    name: z.string(),
    count: z.number().int(),
    memory_bytes: nullableNum,
  }),
  dataset: z.looseObject({
    root: z.string(),
    layout: z.enum(['split', 'class-folders']),
    classes: z.array(z.string()),
    train_count: z.number().int(),
    val_count: z.number().int(),
    skipped_count: z.number().int(),
    /** Images of the test split (a test/ folder or data.test_ratio), evaluated once at the end; absent in older runs. */
    test_count: z.number().int().optional(),
    /** The earlier run's checkpoint whose split this run kept (model.init_checkpoint), else null. */
    split_from: z.string().nullable().optional(),
    ...DatasetExtras,
  }),
  preprocessing: Preprocessing.optional(),
  /** The image tag and digest from DEIT_STUDIO_IMAGE (not read by the app). */
  image: z.string().nullable().optional(),
  /** The val metric that picks best.pt and drives early stopping (absent in older runs: top-1). */
  selection_metric: SelectionMetric.optional(),
  selection_reason: z.string().optional(),
  /** The resolved recipe (only the fields the app reads are typed; absent in older runs). */
  recipe: z
    .looseObject({
      /** Layer-wise lr decay in effect (1 = off: from scratch, frozen backbone, or turned off). */
      layer_decay: z.number().optional(),
      class_balance: z.enum(['none', 'weights']).optional(),
      ...RecipeExtras,
    })
    .optional(),
});

export const ProgressEvent = z.looseObject({
  ...base,
  type: z.literal('progress'),
  phase: z.enum(['scan', 'cache', 'weights', 'compile', 'eval', 'export', 'predict']),
  done: num,
  total: nullableNum,
  message: z.string(),
  eta_s: nullableNum.optional(), // not read by the app
});

export const FilesSkippedEvent = z.looseObject({
  ...base,
  type: z.literal('files_skipped'),
  files: z.array(SkippedFile),
  /** Every left-out entry (skipped.json); `files` lists the first 1,000. Absent in older runs. */
  total: z.number().int().optional(),
  truncated: z.boolean().optional(),
});

export const BatchSizeEvent = z.looseObject({
  ...base,
  type: z.literal('batch_size'),
  batch_size: z.number().int().positive(),
  previous: z.number().int().nullable(),
  reason: BatchReason,
  /** Absent in older runs. */
  limit: BatchLimit.nullable().optional(),
  why: z.string().optional(),
});

export const StepEvent = z.looseObject({
  ...base,
  type: z.literal('step'),
  epoch: z.number().int(),
  step: z.number().int(),
  steps_per_epoch: z.number().int(),
  global_step: z.number().int(),
  total_steps: z.number().int(),
  loss: num,
  lr: num,
  img_per_s: num,
  eta_s: nullableNum,
});

export const EpochEvent = z.looseObject({
  ...base,
  type: z.literal('epoch'),
  epoch: z.number().int(),
  epochs: z.number().int(),
  train_loss: num,
  /** Share of the epoch's training images classified right while training (absent in older runs). */
  train_top1: nullableNum.optional(),
  val_loss: nullableNum,
  val_top1: nullableNum,
  val_top5: nullableNum,
  per_class_acc: z.record(z.string(), z.number().nullable()),
  lr: num,
  duration_s: num,
  img_per_s: num,
  is_best: z.boolean(),
  /** Mean recall over the classes with val images (absent in older runs). */
  val_balanced_accuracy: nullableNum.optional(),
  /** Mean F1 over the classes with val images (absent in older runs). */
  val_macro_f1: nullableNum.optional(),
  selection_metric: SelectionMetric.optional(),
  ema: z.boolean().optional(), // val used the EMA weights (not read by the app)
});

export const CheckpointEvent = z.looseObject({
  ...base,
  type: z.literal('checkpoint'),
  kind: z.enum(['last', 'best']),
  path: z.string(),
  epoch: z.number().int(),
  global_step: z.number().int().optional(), // not read by the app
});

export const ArtifactEvent = z.looseObject({
  ...base,
  type: z.literal('artifact'),
  kind: z.enum(['eval', 'export', 'report', 'split']),
  path: z.string(),
  format: z.string().nullable().optional(),
  /** Exports of a model, vs the eager fp32 model on the run's validation images: max |Δ probability| … */
  parity_max_abs_diff: nullableNum.optional(),
  /** … max |Δ logit|, share with the same top-1 class, and how many images were compared. */
  parity_max_abs_logit_diff: nullableNum.optional(),
  parity_top1_agreement: nullableNum.optional(),
  parity_images: z.number().int().nullable().optional(),
});

export const WarningEvent = z.looseObject({
  ...base,
  type: z.literal('warning'),
  code: z.string(),
  message: z.string(),
});

export const ErrorEvent = z.looseObject({
  ...base,
  type: z.literal('error'),
  kind: TrainerErrorKind,
  message: z.string(),
  fix: z.string(),
  detail: z.string().nullable(),
});

export const StoppedEvent = z.looseObject({
  ...base,
  type: z.literal('stopped'),
  resumable: z.boolean(),
  epoch: z.number().int(),
  global_step: z.number().int(),
  checkpoint: z.string().nullable(),
});

export const FinishedEvent = z.looseObject({
  ...base,
  type: z.literal('finished'),
  epochs_done: z.number().int(),
  best_val_top1: nullableNum,
  best_epoch: z.number().int().nullable(),
  duration_s: num,
  early_stopped: z.boolean(),
});

/** Any event of protocol version 1. */
export const TrainerEvent = z.discriminatedUnion('type', [
  RunStartedEvent,
  ProgressEvent,
  FilesSkippedEvent,
  BatchSizeEvent,
  StepEvent,
  EpochEvent,
  CheckpointEvent,
  ArtifactEvent,
  WarningEvent,
  ErrorEvent,
  StoppedEvent,
  FinishedEvent,
]);
export type TrainerEvent = z.infer<typeof TrainerEvent>;
export type TrainerEventType = TrainerEvent['type'];
export type TrainerEventOf<T extends TrainerEventType> = Extract<TrainerEvent, { type: T }>;

/**
 * Where an attempt stands as it starts (its `run_started`), in the shape of a run's progress: after
 * `start_global_step`, in `start_epoch`. The core's snapshot and the renderer's live store both use it,
 * so an open dashboard and a reloaded one agree. Older trainers send no `start_global_step`: a resumed
 * attempt is then placed after the last step seen (`lastGlobalStep`), else at the start of its epoch.
 */
export function attemptStartProgress(event: TrainerEventOf<'run_started'>, lastGlobalStep: number | null) {
  const perEpoch = event.steps_per_epoch;
  const before = (event.start_epoch - 1) * perEpoch;
  const globalStep = event.start_global_step ?? (event.resumed ? (lastGlobalStep ?? before) : 0);
  return {
    epoch: event.start_epoch,
    epochs: event.epochs,
    // Steps already done in this epoch (a mid-epoch checkpoint); clamped: an out-of-memory step-down
    // earlier in the run changed the steps per epoch, so the global step no longer maps exactly.
    step: Math.min(perEpoch, Math.max(0, globalStep - before)),
    stepsPerEpoch: perEpoch,
    globalStep,
    totalSteps: event.total_steps,
    imgPerS: null,
    etaS: null,
  };
}

/** Exit codes of `python -m deit_trainer train`. */
export const TRAINER_EXIT = {
  ok: 0, // finished, or stopped and resumable
  internal: 1,
  config_invalid: 2,
  dataset: 3,
  weights_missing: 4,
  out_of_memory: 5,
} as const;
