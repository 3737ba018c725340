import { z } from 'zod';
import { call, event } from './define';
import { GpuSample } from './environment';
import { AugmentPreset, ClassBalance, DEFAULT_LAYER_DECAY, ModelId, Precision } from './run-config';
import { SelectionMetric, SkippedFile, TrainerEvent, type TrainerEventOf } from './trainer-protocol';

/** A model the user can choose, as a plain card. */
export const ModelCard = z.object({
  id: ModelId,
  title: z.string(),
  family: z.enum(['DeiT', 'DeiT distilled', 'DeiT III']),
  paramsM: z.number(),
  imgSize: z.number().int(),
  description: z.string(),
  /** Expected training speed on the detected GPU, images per second; null when unknown. */
  expectedImgPerS: z.number().nullable(),
  /** Expected GPU memory at batch size 64, GiB. */
  memoryGiBAt64: z.number(),
});
export type ModelCard = z.infer<typeof ModelCard>;

/** What the user chose in the wizard. */
export const RunSettings = z.strictObject({
  name: z.string().max(120).optional(),
  datasetPath: z.string().min(1).max(4096),
  valRatio: z.number().gt(0).lt(1).default(0.2),
  modelId: ModelId,
  epochs: z.number().int().min(1).max(1000).default(10),
  batchSize: z.union([z.literal('auto'), z.number().int().min(1).max(4096)]).default('auto'),
  learningRate: z.number().positive().max(1).nullable().default(null),
  imgSize: z.number().int().min(16).max(1024).multipleOf(16).default(224),
  augment: AugmentPreset.default('standard'),
  precision: Precision.default('auto'),
  compile: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  freezeBackbone: z.boolean().default(false),
  earlyStoppingPatience: z.number().int().min(1).max(1000).nullable().default(null),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
  ema: z.boolean().default(false),
  /** Layer-wise learning-rate decay when fine-tuning (1 = off). */
  layerDecay: z.number().gt(0).max(1).default(DEFAULT_LAYER_DECAY),
  /** Weight the loss against class imbalance. */
  classBalance: ClassBalance.default('none'),
  /** 'cpu' is the slow fallback when no GPU is usable. */
  device: z.enum(['gpu', 'cpu']).default('gpu'),
  /** GPU indices to use; all when empty. */
  gpuIds: z.array(z.string().regex(/^\d+$/)).default([]),
  /** Start from this earlier run's best checkpoint instead of the pretrained weights. */
  initFromRunId: z.string().optional(),
  /** The run whose settings this one started from ("Start a new run from these settings"); recorded, not used to train. */
  fromRunId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/)
    .optional(),
  /** False: train from scratch (random weights, DeiT's from-scratch recipe); no weights are downloaded. */
  pretrained: z.boolean().default(true),
});
export type RunSettings = z.infer<typeof RunSettings>;
export type RunSettingsInput = z.input<typeof RunSettings>;

export const RunStatus = z.enum(['queued', 'preparing', 'running', 'stopping', 'stopped', 'finished', 'failed']);
export type RunStatus = z.infer<typeof RunStatus>;

/** Why a run failed, in the user's words, with what to do next. */
export const RunFailure = z.object({
  cause: z.enum([
    'out_of_memory',
    'killed_for_memory',
    'dataset_invalid',
    'weights_missing',
    'gpu_toolkit_missing',
    'docker_gone',
    'killed',
    'config_invalid',
    'crashed',
  ]),
  message: z.string(),
  fix: z.string(),
  /** Technical detail for a bug report or an expert (e.g. the last log lines of a crash); may be long. */
  detail: z.string().optional(),
  /** One-click follow-up, e.g. retry with a smaller batch. */
  action: z.object({ label: z.string(), settingsPatch: RunSettings.partial() }).optional(),
});
export type RunFailure = z.infer<typeof RunFailure>;

export const RunProgress = z.object({
  epoch: z.number().int(),
  epochs: z.number().int(),
  step: z.number().int(),
  stepsPerEpoch: z.number().int(),
  globalStep: z.number().int(),
  totalSteps: z.number().int(),
  imgPerS: z.number().nullable(),
  etaS: z.number().nullable(),
});
export type RunProgress = z.infer<typeof RunProgress>;

/** Where a run stands after a trainer `step` event; `epochs` is the run's planned total (the event lacks it). */
export function stepProgress(event: TrainerEventOf<'step'>, epochs: number): RunProgress {
  return {
    epoch: event.epoch,
    epochs,
    step: event.step,
    stepsPerEpoch: event.steps_per_epoch,
    globalStep: event.global_step,
    totalSteps: event.total_steps,
    imgPerS: event.img_per_s,
    etaS: event.eta_s,
  };
}

/** Who stopped a run: 'user' (Stop in the app), 'docker' (a SIGTERM the app did not send: daemon shutdown or restart, `docker stop`). */
export const StopCause = z.enum(['user', 'docker']);
export type StopCause = z.infer<typeof StopCause>;

/** What the app says about a run Docker stopped (dashboard and runs list). */
export const DOCKER_STOPPED_MESSAGE = 'Docker stopped the training container — it was shut down or restarted.';

/** One line of the runs list. */
export const RunSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: RunStatus,
  modelId: ModelId,
  datasetPath: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationS: z.number().nullable(),
  epochsDone: z.number().int(),
  epochs: z.number().int(),
  bestValTop1: z.number().nullable(),
  progress: RunProgress.nullable(),
  resumable: z.boolean(),
  failure: RunFailure.nullable(),
  /** Who stopped a `stopped` run: the user's Stop, or Docker (shut down or restarted, `docker stop`); absent from older runs. */
  stopCause: StopCause.optional(),
  /** The Docker engine the run runs on ("This computer" or an SSH server); absent: this computer (older runs). */
  engine: z.object({ id: z.string(), label: z.string(), kind: z.enum(['local', 'ssh']) }).optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const StepPoint = z.object({
  globalStep: z.number(),
  time: z.number(),
  loss: z.number(),
  lr: z.number(),
  imgPerS: z.number(),
});
export type StepPoint = z.infer<typeof StepPoint>;

export const EpochPoint = z.object({
  epoch: z.number().int(),
  trainLoss: z.number(),
  /** Training accuracy over the epoch (0–1); null for runs from trainers that did not send it. */
  trainTop1: z.number().nullable().default(null),
  valLoss: z.number().nullable(),
  valTop1: z.number().nullable(),
  valTop5: z.number().nullable(),
  lr: z.number(),
  perClassAcc: z.record(z.string(), z.number().nullable()),
});
export type EpochPoint = z.infer<typeof EpochPoint>;

/** A trainer `epoch` event as a chart point; the core and the renderer both build their series with it. */
export function epochPoint(event: TrainerEventOf<'epoch'>): EpochPoint {
  return {
    epoch: event.epoch,
    trainLoss: event.train_loss,
    trainTop1: event.train_top1 ?? null,
    valLoss: event.val_loss,
    valTop1: event.val_top1,
    valTop5: event.val_top5,
    lr: event.lr,
    perClassAcc: event.per_class_acc,
  };
}

/** Everything needed to draw one run's dashboard, rebuilt from its run folder. */
export const RunDetail = z.object({
  summary: RunSummary,
  settings: RunSettings,
  /** Facts the trainer reported at start (versions, device, dataset, split). */
  started: z.record(z.string(), z.unknown()).nullable(),
  epochs: z.array(EpochPoint),
  /** Step metrics, downsampled to at most `maxPoints`. */
  steps: z.array(StepPoint),
  /** GPU samples during the run, downsampled to at most `maxPoints`. */
  gpu: z.array(GpuSample),
  skipped: z.array(SkippedFile),
  /** How many entries were left out in all (`skipped` lists at most 1,000); absent from older cores. */
  skippedTotal: z.number().int().optional(),
  /** The batch size in use: run_started's, or the latest batch_size event's (null before the trainer said). */
  batchSize: z.number().int().nullable().optional(),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  /** Number of events in metrics.jsonl so far: a client resumes its live stream after this. */
  eventCount: z.number().int(),
});
export type RunDetail = z.infer<typeof RunDetail>;

/** One class on the validation images; recall and F1 are null when the class has none (support 0). */
export const ClassMetrics = z.object({
  name: z.string(),
  /** Null when no image was predicted as this class. */
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
  support: z.number().int(),
});

/** The numbers of one evaluated split (final evaluation of the best model, fp32). */
export const SplitScores = z.object({
  split: z.enum(['validation', 'test']),
  count: z.number().int(),
  top1: z.number().nullable(),
  /** 95 % Wilson score interval of top-1, [low, high]. */
  top1Interval: z.tuple([z.number(), z.number()]).nullable(),
  /** Null with 5 classes or fewer (the right class is then always among 5 guesses). */
  top5: z.number().nullable(),
  /** Mean recall over the classes that have images in this split. */
  balancedAccuracy: z.number().nullable(),
  /** Mean F1 over the classes that have images in this split. */
  macroF1: z.number().nullable(),
  /** Classes without images in this split: listed, not scored. */
  classesWithoutImages: z.array(z.string()),
});
export type SplitScores = z.infer<typeof SplitScores>;

/** An export compared with the eager fp32 model on the run's own validation images. */
export const ParityCheck = z.object({
  maxAbsLogitDiff: z.number().nullable(),
  maxAbsProbDiff: z.number(),
  top1Agreement: z.number().nullable(),
  images: z.number().int().nullable(),
  /** `validation` (the run's images) or `random` (a run without validation images). */
  inputs: z.string().nullable(),
});
export type ParityCheck = z.infer<typeof ParityCheck>;

/** Above this max |Δ probability| an export is flagged as not matching the trained model. */
export const PARITY_WARN = 1e-4;

/** Largest attention grid accepted (DeiT at 224 px has 14×14; 1024 px at 16 px patches has 64×64). */
export const ATTENTION_MAX_GRID = 64;

/** Base64 of `n` bytes (with padding), as Python's base64.b64encode writes it. */
function base64OfLength(text: string, n: number): boolean {
  return text.length === 4 * Math.ceil(n / 3) && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

/**
 * An attention-rollout map of one image (docs/run-folder.md): a grid of patches, one uint8 per patch
 * (0..255, row-major, base64) for the class token and, for distilled models, the distillation token.
 */
export const AttentionMap = z
  .object({
    grid: z.tuple([z.number().int().min(1).max(ATTENTION_MAX_GRID), z.number().int().min(1).max(ATTENTION_MAX_GRID)]),
    cls: z.string(),
    dist: z.string().optional(),
    /** The share of the picture's centre square the model saw (img_size / eval resize); absent: all of it. */
    crop: z.number().min(0.25).max(1).optional(),
  })
  .refine(
    (m) =>
      base64OfLength(m.cls, m.grid[0] * m.grid[1]) &&
      (m.dist === undefined || base64OfLength(m.dist, m.grid[0] * m.grid[1])),
    { message: 'an attention map must hold one byte per patch of its grid' },
  );
export type AttentionMap = z.infer<typeof AttentionMap>;

/** Results of a finished run: from its eval/, export/ and report.md. */
export const RunResults = z.object({
  folder: z.string(),
  valTop1: z.number().nullable(),
  valTop5: z.number().nullable(),
  perClass: z.array(ClassMetrics),
  confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) }),
  misclassified: z.array(
    z.object({
      path: z.string(),
      trueLabel: z.string(),
      predictedLabel: z.string(),
      confidence: z.number(),
      /** Where the model looked (eval/attention.json); absent for runs from before it and non-ViT models. */
      attention: AttentionMap.optional(),
    }),
  ),
  exports: z.array(
    z.object({
      format: z.string(),
      path: z.string(),
      parityMaxAbsDiff: z.number().nullable(),
      /** Null for files that are not a model, unchecked exports and runs from before parity on real images. */
      parity: ParityCheck.nullable().default(null),
    }),
  ),
  reportMarkdown: z.string(),
  /** The final validation numbers; null for runs from before they were written. */
  validation: SplitScores.nullable().default(null),
  /** The test split's numbers (evaluated once, at the end); null without a test split. */
  test: SplitScores.nullable().default(null),
  /** What picked the best epoch (on the validation images); null for older runs. */
  selection: z
    .object({ metric: SelectionMetric, reason: z.string().nullable(), bestEpoch: z.number().int().nullable() })
    .nullable()
    .default(null),
  /** Precision of the final evaluation (`fp32`, as exports and predictions run); null for older runs. */
  evalPrecision: z.string().nullable().default(null),
});
export type RunResults = z.infer<typeof RunResults>;

/** One image of a folder classified with a run's model. */
export const Prediction = z.object({
  /** Relative to the classified folder. */
  file: z.string(),
  /** The most likely class; null when the file could not be read as an image. */
  predicted: z.string().nullable(),
  confidence: z.number().nullable(),
  /** The most likely classes, most likely first. */
  topK: z.array(z.object({ label: z.string(), probability: z.number() })),
  /** Why the file was not classified. */
  error: z.string().nullable(),
  /** Where the model looked (`<csv>.attention.json`): the first 200 images of a folder, ViT models only. */
  attention: AttentionMap.optional(),
});
export type Prediction = z.infer<typeof Prediction>;

/** A folder of new images classified with a run's best model (all rows are in `csvPath`). */
export const Predictions = z.object({
  folder: z.string(),
  csvPath: z.string(),
  total: z.number().int(),
  classified: z.number().int(),
  /** How many images each class got, most first. */
  byClass: z.array(z.object({ label: z.string(), count: z.number().int() })),
  /** The first rows (all of them up to a limit), in file order. */
  rows: z.array(Prediction),
  truncated: z.boolean(),
  /** Null for an earlier classification whose duration was not recorded. */
  durationS: z.number().nullable(),
  /** Where it was classified: "GPU 0 (NVIDIA H100 80GB HBM3), bf16" or "the processor"; null when not recorded. */
  device: z.string().nullable().default(null),
});
export type Predictions = z.infer<typeof Predictions>;

export const RunEstimate = z.object({
  seconds: z.number().nullable(),
  memoryGiB: z.number().nullable(),
  explanation: z.string(),
  /** Ask again after this many seconds: the processor was busy while it was timed (cpu-speed-probe.ts). */
  askAgainInS: z.number().optional(),
});
export type RunEstimate = z.infer<typeof RunEstimate>;

const runId = z.object({ id: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/) });

export const runCalls = {
  'models.list': call(
    z.object({}),
    z.array(ModelCard),
    'The models the user can fine-tune, with size and expected speed.',
  ),
  'runs.list': call(z.object({}), z.array(RunSummary), 'All runs, newest first.'),
  'runs.get': call(
    runId.extend({ maxPoints: z.number().int().min(10).max(20000).default(1500) }),
    RunDetail,
    "One run's settings, metrics and GPU samples, rebuilt from its folder.",
  ),
  'runs.create': call(
    z.object({ settings: RunSettings }),
    RunSummary,
    'Creates a run and starts it, or queues it behind a run on the same GPU.',
  ),
  'runs.estimate': call(
    z.object({ settings: RunSettings }),
    RunEstimate,
    'Expected duration and GPU memory before starting.',
  ),
  'runs.stop': call(runId, RunSummary, 'Stops a run gracefully; it stays resumable.'),
  'runs.resume': call(runId, RunSummary, 'Continues a stopped run from its last checkpoint.'),
  'runs.delete': call(
    runId.extend({ confirm: z.literal(true) }),
    z.object({ deleted: z.literal(true) }),
    "Deletes a run's folder (never the dataset).",
  ),
  'runs.results': call(
    runId,
    RunResults,
    'Per-class metrics, confusion matrix, mistakes, exports and report of a finished run.',
  ),
  'runs.log': call(
    runId.extend({ query: z.string().max(200).optional(), limit: z.number().int().min(1).max(5000).default(500) }),
    z.object({ lines: z.array(z.string()), total: z.number().int() }),
    "The run's log (train.log), optionally filtered.",
  ),
  'runs.image': call(
    runId.extend({ file: z.string().min(1).max(4096) }),
    z.object({ mime: z.string(), dataBase64: z.string() }),
    "An image of the run's dataset (e.g. a misclassified one), by its path relative to the dataset.",
  ),
  'runs.predict': call(
    runId.extend({ folder: z.string().min(1).max(4096) }),
    Predictions,
    "Classifies every image in a folder with a run's best model, in a locked-down container (folder read-only); writes a CSV into the run folder.",
  ),
  'runs.openFolder': call(
    runId,
    z.object({ path: z.string(), opened: z.boolean() }),
    "Opens the run's folder in the file manager (desktop) or returns its path.",
  ),
};

export const runEvents = {
  'run.updated': event(RunSummary, "A run's status or progress changed."),
  'run.event': event(
    z.object({ runId: z.string(), index: z.number().int(), event: TrainerEvent }),
    'One trainer event of a run, in order; `index` is its line number in metrics.jsonl.',
  ),
  'run.log': event(z.object({ runId: z.string(), lines: z.array(z.string()) }), 'New lines of a run log.'),
  'run.gpu': event(z.object({ runId: z.string(), sample: GpuSample }), 'A GPU sample recorded for a running run.'),
};
