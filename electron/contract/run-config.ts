import { z } from 'zod';

/**
 * The trainer's config file (`config.json` in the run folder), version 1, written by the app.
 * Paths are the container's mount points. The Python side rejects unknown keys; see
 * docs/trainer-protocol.md for the meaning and default of each field.
 */
export const MODEL_IDS = [
  'deit_tiny_patch16_224',
  'deit_small_patch16_224',
  'deit_base_patch16_224',
  'deit_tiny_distilled_patch16_224',
  'deit_small_distilled_patch16_224',
  'deit_base_distilled_patch16_224',
  'deit_base_patch16_384',
  'deit3_small_patch16_224',
  'deit3_base_patch16_224',
] as const;
export const ModelId = z.enum(MODEL_IDS);
export type ModelId = z.infer<typeof ModelId>;

export const AugmentPreset = z.enum(['light', 'standard', 'strong']);
export const Precision = z.enum(['auto', 'bf16', 'fp16', 'fp32']);
export const ClassBalance = z.enum(['none', 'weights']);
/** The default layer-wise lr decay (docs/trainer.md, "Recipe"). */
export const DEFAULT_LAYER_DECAY = 0.75;

export const TrainerConfig = z.strictObject({
  version: z.literal(1),
  /** Only in resolved-config.json: what the trainer decided (batch size, why, steps); ignored when read. */
  resolved: z.record(z.string(), z.unknown()).optional(),
  data: z
    .strictObject({
      root: z.string().default('/data'),
      val_ratio: z.number().gt(0).lt(1).default(0.2),
      /** Share of each class held out as a test split, evaluated once at the end (no test/ folder); 0 = none. */
      test_ratio: z.number().min(0).lt(1).default(0),
      split_seed: z.number().int().default(0),
      cache_dir: z.string().default('/cache'),
      num_workers: z.union([z.literal('auto'), z.number().int().min(0)]).default('auto'),
    })
    .refine((d) => d.val_ratio + d.test_ratio < 1, {
      message: 'val_ratio + test_ratio must be less than 1 (some images must be left for training)',
    }),
  model: z.strictObject({
    name: ModelId,
    pretrained: z.boolean().default(true),
    weights_dir: z.string().default('/weights'),
    init_checkpoint: z.string().nullable().default(null),
    img_size: z.number().int().min(16).multipleOf(16).default(224),
    drop_path: z.number().min(0).max(0.5).default(0.1),
    freeze_backbone: z.boolean().default(false),
  }),
  train: z.strictObject({
    epochs: z.number().int().min(1).max(1000).default(10),
    batch_size: z.union([z.literal('auto'), z.number().int().min(1).max(4096)]).default('auto'),
    /** Decide the automatic batch size as on a GPU with this much memory (benchmarks); null = the real device. */
    assume_gpu_memory_gb: z.number().positive().nullable().default(null),
    lr: z.number().positive().nullable().default(null),
    weight_decay: z.number().min(0).default(0.05),
    warmup_epochs: z.number().min(0).default(1),
    label_smoothing: z.number().min(0).max(0.5).default(0.1),
    /** Layer-wise lr decay when fine-tuning (head at lr, block i of L at lr·d^(L−i)); 1 = off; unused from scratch. */
    layer_decay: z.number().gt(0).max(1).default(DEFAULT_LAYER_DECAY),
    /** `weights`: loss weights N/(C·n_c), inverse to each class's share of the training images. */
    class_balance: ClassBalance.default('none'),
    augment: AugmentPreset.default('standard'),
    ema: z.boolean().default(false),
    early_stopping_patience: z.number().int().min(1).nullable().default(null),
    seed: z.number().int().default(0),
    precision: Precision.default('auto'),
    compile: z.union([z.literal('auto'), z.boolean()]).default('auto'),
    /** Kernel caches of torch.compile shared by the runs on one dataset; used only when mounted writable. */
    compile_cache_dir: z.string().default('/compile-cache'),
    device: z.enum(['auto', 'cuda', 'cpu']).default('auto'),
    log_interval_s: z.number().min(0).default(1),
  }),
  output: z.strictObject({
    run_dir: z.string().default('/run'),
    export: z.array(z.enum(['torchscript', 'onnx'])).default(['torchscript', 'onnx']),
  }),
});
export type TrainerConfig = z.infer<typeof TrainerConfig>;
