import { z } from 'zod';
import { AppErrorShape } from './errors';
import { call, event } from './define';

export const ImageState = z.enum(['missing', 'pulling', 'building', 'ready', 'error', 'cancelled']);
export type ImageState = z.infer<typeof ImageState>;

/** Progress of getting the image: pulling the base (per layer), then building the trainer on top. */
export const ImageProgress = z.object({
  phase: z.enum(['checking', 'pulling', 'building', 'done', 'error', 'cancelled']),
  layersDone: z.number().int(),
  layersTotal: z.number().int(),
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  speedBytesPerS: z.number().nullable(),
  etaS: z.number().nullable(),
  message: z.string(),
  error: AppErrorShape.optional(),
});
export type ImageProgress = z.infer<typeof ImageProgress>;

/** Whether the training image exists, and what getting it would take. */
export const ImageStatus = z.object({
  tag: z.string(),
  baseImage: z.string(),
  basePresent: z.boolean(),
  state: ImageState,
  /** Bytes to download before training can start; null when unknown. */
  downloadBytes: z.number().nullable(),
  /** A download this large asks the user first. */
  needsConsent: z.boolean(),
  /** While a pull or build runs: its latest progress (a window opened mid-download shows it at once). */
  progress: ImageProgress.optional(),
  error: AppErrorShape.optional(),
});
export type ImageStatus = z.infer<typeof ImageStatus>;

export const imageCalls = {
  'image.status': call(z.object({}), ImageStatus, 'Whether the training image is ready, and the download it needs.'),
  'image.ensure': call(
    z.object({ consent: z.boolean() }),
    ImageStatus,
    'Starts pulling and building the training image; progress arrives as image.progress events.',
  ),
  'image.cancel': call(z.object({}), ImageStatus, 'Cancels a pull or build in progress.'),
};

export const imageEvents = {
  'image.progress': event(ImageProgress, 'Progress of the image pull and build.'),
};
