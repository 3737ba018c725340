import { DEFAULT_BASE_IMAGE } from './trainer-image-tag';

/** What getting a base image costs: the download, and the space it takes once unpacked. */
export interface ImageSize {
  downloadBytes: number;
  diskBytes: number;
}

/**
 * Sizes of base images we know. The default's are estimates of the official image (compressed layers
 * about 3.2 GB, unpacked about 7.6 GB); they decide the consent question and the disk check.
 */
export const KNOWN_BASE_IMAGES: Readonly<Record<string, ImageSize>> = {
  [DEFAULT_BASE_IMAGE]: { downloadBytes: 3.2e9, diskBytes: 7.6e9 },
};

/** Downloads larger than this (or of unknown size) ask the user first. */
export const CONSENT_THRESHOLD_BYTES = 1e9;

/** The trainer layer on top of the base: pip packages, the trainer, and the builder's scratch space. */
export const BUILD_DISK_BYTES = 1.5e9;

/** Free space to leave for runs and the system after the image is in place. */
export const DISK_MARGIN_BYTES = 2e9;

/** Disk space Docker needs to get the training image, given whether the base is already there. */
export function diskBytesNeeded(size: ImageSize | null, basePresent: boolean): number {
  if (basePresent) return BUILD_DISK_BYTES + DISK_MARGIN_BYTES;
  // While pulling, compressed layers and unpacked files exist side by side.
  const base = size ? size.downloadBytes + size.diskBytes : 0;
  return base + BUILD_DISK_BYTES + DISK_MARGIN_BYTES;
}
