import { z } from 'zod';
import { call, event } from './define';
import { Predictions } from './runs';

/**
 * "Try the model on new images" beyond the one call that classifies (`runs.predict` in runs.ts):
 * its progress while the container works, Cancel, and the run's earlier classifications (the CSVs
 * in its predictions/ folder), each of which can be opened again.
 */

const runId = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/);

/** A CSV of the run's predictions/ folder: `<UTC time>-<4 chars>.csv`, nothing else. */
export const PredictionFileName = z.string().regex(/^[A-Za-z0-9_-]{1,80}\.csv$/);

export const PredictionState = z.enum(['running', 'finished', 'cancelled', 'failed']);
export type PredictionState = z.infer<typeof PredictionState>;

/** Where a classification of a run stands (at most one per run at a time). */
export const PredictionProgress = z.object({
  runId: z.string(),
  /** The CSV it writes (in the run's predictions/ folder once finished). */
  file: z.string(),
  /** The classified folder, on the machine that runs DeiT Studio. */
  folder: z.string(),
  state: PredictionState,
  /** Images classified so far (files that cannot be read count too: they get a row with the reason). */
  done: z.number().int(),
  /** Images in the folder; null until the trainer has listed them (the model is still loading). */
  total: z.number().int().nullable(),
  /** Images per second since the model was loaded; null until measurable. */
  imgPerS: z.number().nullable(),
  /** Seconds left; null until measurable. */
  etaS: z.number().nullable(),
  startedAt: z.string(),
  /** Where it classifies, in words: "GPU 0 (NVIDIA H100 80GB HBM3), bf16" or "the processor"; null when not said. */
  device: z.string().nullable().default(null),
});
export type PredictionProgress = z.infer<typeof PredictionProgress>;

/** One earlier classification of a run (one CSV). */
export const PredictionRecord = z.object({
  file: PredictionFileName,
  /** When it was made (from its name, else the file's time), ISO 8601. */
  createdAt: z.string(),
  /** The folder that was classified; null for CSVs from before this was recorded. */
  folder: z.string().nullable(),
  total: z.number().int(),
  classified: z.number().int(),
  durationS: z.number().nullable(),
});
export type PredictionRecord = z.infer<typeof PredictionRecord>;

export const PredictionList = z.object({
  /** Newest first. */
  items: z.array(PredictionRecord),
  /** The classification in progress, if any. */
  running: PredictionProgress.nullable(),
});
export type PredictionList = z.infer<typeof PredictionList>;

export const predictionCalls = {
  'runs.predictions': call(
    z.object({ id: runId }),
    PredictionList,
    "A run's earlier classifications of new images (its predictions/ CSVs, newest first) and the one in progress.",
  ),
  'runs.prediction': call(
    z.object({ id: runId, file: PredictionFileName }),
    Predictions,
    'Opens one earlier classification of a run (a CSV of its predictions/ folder).',
  ),
  'runs.cancelPredict': call(
    z.object({ id: runId }),
    z.object({ cancelled: z.boolean() }),
    "Stops the run's classification in progress (its container); no CSV is left. False when none was running.",
  ),
};

export const predictionEvents = {
  'run.predictProgress': event(
    PredictionProgress,
    'Progress of classifying new images with a run (count, rate, time left), then how it ended.',
  ),
};
