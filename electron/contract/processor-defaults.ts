import type { ModelId } from './run-config';

/**
 * The Settings step's starting values for this machine and dataset. On a GPU: DeiT-S at its own image
 * size for 10 epochs. On the processor (no usable GPU), where the same run would take hours: the
 * smallest model (DeiT-Ti), an image size that suits the pictures, and few epochs. Where the
 * pretrained weights can be neither found on this machine nor downloaded (offline), from scratch.
 *
 *   settingsDefaults({ device: 'cpu', typicalSize: scan.typicalSize })
 *   // → { modelId: 'deit_tiny_patch16_224', epochs: 5, imgSize: 32, pretrained: true } for 8×8 scans
 *
 * Pure: the renderer applies it to the form (and keeps what the user changed); tests pin it.
 */

/** Every DeiT here cuts its images into square patches of this many pixels: image sizes are multiples of it. */
export const PATCH_SIZE = 16;
/** The smallest size suggested: 2×2 patches, so attention has more than one patch to relate. */
export const MIN_SUGGESTED_IMG_SIZE = 2 * PATCH_SIZE;
/** The size every model here was pretrained at (DeiT-B 384 aside). */
export const NATIVE_IMG_SIZE = 224;

export const GPU_DEFAULTS = { modelId: 'deit_small_patch16_224', epochs: 10, imgSize: null, pretrained: true } as const;
/** DeiT-Ti: 5.7 M parameters, about 4 times less work per image than DeiT-S. */
export const CPU_MODEL_ID: ModelId = 'deit_tiny_patch16_224';
/** A first run on the processor: enough epochs to see the model learn, few enough to wait for. */
export const CPU_EPOCHS = 5;

export interface SettingsDefaults {
  modelId: ModelId;
  epochs: number;
  /** Pixels; null: the chosen model's own size. */
  imgSize: number | null;
  /** False: from scratch, because no pretrained weights can be had here. */
  pretrained: boolean;
}

/** A size in pixels rounded up to a whole number of patches. */
export function roundUpToPatch(pixels: number): number {
  return Math.max(PATCH_SIZE, Math.ceil(pixels / PATCH_SIZE) * PATCH_SIZE);
}

/**
 * The image size that suits pictures of this typical size: their shorter side rounded up to a
 * multiple of 16 (enlarging further adds no detail, only work), at least 32 (2×2 patches), at most
 * the model's own size (larger pictures are shrunk to it, as the model was pretrained). Null when
 * the size is not known.
 */
export function suggestedImgSize(
  typicalSize: { width: number; height: number } | null | undefined,
  modelImgSize = NATIVE_IMG_SIZE,
): number | null {
  if (!typicalSize || typicalSize.width < 1 || typicalSize.height < 1) return null;
  const side = Math.min(typicalSize.width, typicalSize.height);
  return Math.min(modelImgSize, Math.max(MIN_SUGGESTED_IMG_SIZE, roundUpToPatch(side)));
}

/**
 * The defaults for a run on `device` over pictures of `typicalSize` (the scan's; absent before a
 * scan). `weightsUnavailable`: the model's pretrained weights are not on this machine and cannot be
 * downloaded (offline), so the run starts from scratch.
 */
export function settingsDefaults(input: {
  device: 'gpu' | 'cpu';
  typicalSize?: { width: number; height: number } | null;
  weightsUnavailable?: boolean;
}): SettingsDefaults {
  const pretrained = !input.weightsUnavailable;
  if (input.device === 'gpu') return { ...GPU_DEFAULTS, pretrained };
  const imgSize = suggestedImgSize(input.typicalSize) ?? NATIVE_IMG_SIZE;
  return { modelId: CPU_MODEL_ID, epochs: CPU_EPOCHS, imgSize, pretrained };
}
