import { z } from 'zod';
import { call } from './define';
import { ClassMetrics, RunSettings, RunStatus, SplitScores } from './runs';

/** A run id as the runs calls take it (one plain folder name). */
const RunIdText = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/);

/** Which images a run trained and was scored on: runs compare fairly only when these agree. */
export const ComparedData = z.object({
  datasetPath: z.string(),
  /** The validation share the run asked for (RunSettings.valRatio). */
  valRatio: z.number(),
  /** The seed of the per-file split (run_started's dataset.split_seed); null for runs that did not say. */
  splitSeed: z.number().int().nullable(),
  /** The earlier run's checkpoint whose split this run kept; null when it drew its own. */
  splitFrom: z.string().nullable(),
  /** 'class-folders' (split by the seed) or 'split' (train/ and val/ folders); null before the trainer said. */
  layout: z.string().nullable(),
  trainCount: z.number().int().nullable(),
  valCount: z.number().int().nullable(),
  testCount: z.number().int().nullable(),
});
export type ComparedData = z.infer<typeof ComparedData>;

/** One epoch of a compared run; `elapsedS`: seconds from its first training step to the epoch's last one. */
export const ComparedEpoch = z.object({
  epoch: z.number().int(),
  elapsedS: z.number().nullable(),
  trainLoss: z.number(),
  valLoss: z.number().nullable(),
  trainTop1: z.number().nullable(),
  valTop1: z.number().nullable(),
});
export type ComparedEpoch = z.infer<typeof ComparedEpoch>;

/** One training step (downsampled with LTTB); `elapsedS` as in ComparedEpoch. */
export const ComparedStep = z.object({ globalStep: z.number(), elapsedS: z.number(), loss: z.number() });
export type ComparedStep = z.infer<typeof ComparedStep>;

/**
 * What a run actually trained with, where the trainer decided it (resolved-config.json, run_started):
 * every field null when the run has not said (not started yet, older run).
 */
export const ResolvedSettings = z.object({
  /** Images per optimizer step over all GPUs. */
  batchSize: z.number().int().nullable(),
  learningRate: z.number().nullable(),
  /** Layer-wise lr decay in effect: 1 = off (from scratch, frozen backbone, or turned off). */
  layerDecay: z.number().nullable(),
  precision: z.string().nullable(),
  compile: z.boolean().nullable(),
});
export type ResolvedSettings = z.infer<typeof ResolvedSettings>;

/** One run as the comparison view shows it. */
export const ComparedRun = z.object({
  id: z.string(),
  name: z.string(),
  status: RunStatus,
  createdAt: z.string(),
  durationS: z.number().nullable(),
  settings: RunSettings,
  /** What ran, where the trainer resolved a setting (absent from older app versions). */
  resolved: ResolvedSettings.optional(),
  data: ComparedData,
  epochs: z.array(ComparedEpoch),
  steps: z.array(ComparedStep),
  /** The numbers to quote (test split when there was one, else validation); null before results exist. */
  headline: SplitScores.nullable(),
  /** The epoch whose model was evaluated; null when unknown. */
  bestEpoch: z.number().int().nullable(),
  /** Per class on the validation images; empty before results exist. */
  perClass: z.array(ClassMetrics),
});
export type ComparedRun = z.infer<typeof ComparedRun>;

export const compareCalls = {
  'runs.compare': call(
    z.object({
      ids: z.array(RunIdText).min(2).max(10),
      maxPoints: z.number().int().min(10).max(5000).default(400),
    }),
    z.object({ runs: z.array(ComparedRun) }),
    'Two to ten runs side by side: settings, which data, loss and accuracy by epoch and time, final metrics, per class.',
  ),
};
