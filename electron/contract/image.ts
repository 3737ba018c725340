import { z } from 'zod';
import { AppErrorShape } from './errors';
import { call, event } from './define';

/** `unknown`: Docker is not answering, so whether the image is there cannot be known (`error` says why). */
export const ImageState = z.enum([
  'missing',
  'loading',
  'pulling',
  'building',
  'ready',
  'error',
  'cancelled',
  'unknown',
]);
export type ImageState = z.infer<typeof ImageState>;

/**
 * Progress of getting the image: pulling the base (per layer), then building the trainer on top; or
 * loading the base from a `docker save` archive (bytes sent of the file's size; no layers).
 */
export const ImageProgress = z.object({
  phase: z.enum(['checking', 'loading', 'pulling', 'building', 'done', 'error', 'cancelled']),
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

/** What a base image holds, found by running Python in it (no network); all but the first are warnings. */
export const BaseImageCheck = z.object({
  image: z.string(),
  verdict: z.enum(['pytorch_2_6', 'other_torch', 'no_torch', 'no_python', 'wrong_platform', 'unknown']),
  torchVersion: z.string().nullable(),
  message: z.string(),
});
export type BaseImageCheck = z.infer<typeof BaseImageCheck>;

/** An image already on the engine, offered as a base ("Use an image already on this engine"). */
export const LocalImage = z.object({
  tag: z.string(),
  id: z.string(),
  sizeBytes: z.number(),
  createdAt: z.string().nullable(),
  /** The tag names an official PyTorch 2.6 image (pytorch/pytorch:2.6.*). */
  recognised: z.boolean(),
});
export type LocalImage = z.infer<typeof LocalImage>;

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
  /** The base used when none is chosen (the official PyTorch 2.6 image, or DEIT_STUDIO_BASE_IMAGE). */
  defaultBaseImage: z.string().optional(),
  /** The user chose `baseImage` on the Environment step (stored in the app's settings). */
  baseChosen: z.boolean().optional(),
  /** What the chosen or loaded base holds, when it was checked. */
  baseCheck: BaseImageCheck.optional(),
});
export type ImageStatus = z.infer<typeof ImageStatus>;

export const imageCalls = {
  'image.status': call(z.object({}), ImageStatus, 'Whether the training image is ready, and the download it needs.'),
  'image.ensure': call(
    z.object({ consent: z.boolean() }),
    ImageStatus,
    'Starts pulling and building the training image; progress arrives as image.progress events.',
  ),
  'image.cancel': call(z.object({}), ImageStatus, 'Cancels a pull, load or build in progress.'),
  'image.localImages': call(
    z.object({}),
    z.object({ images: z.array(LocalImage) }),
    'Tagged images on the engine that could be the base (PyTorch 2.6 tags first).',
  ),
  'image.useBase': call(
    z.object({
      image: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:@+]{0,299}$/)
        .nullable(),
    }),
    ImageStatus,
    'Uses an image already on the engine as the base (checked for PyTorch, remembered); null goes back to the default.',
  ),
  'image.loadArchive': call(
    z.object({ path: z.string().min(1).max(4096) }),
    ImageStatus,
    'Loads the base image from a docker save archive on this machine; progress arrives as image.progress (phase loading).',
  ),
};

export const imageEvents = {
  'image.progress': event(ImageProgress, 'Progress of the image pull and build.'),
};
