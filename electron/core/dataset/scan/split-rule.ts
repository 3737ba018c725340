import { createHash } from 'node:crypto';

/**
 * The seed the app gives the trainer's split (`data.split_seed`): fixed, so that runs with other
 * training seeds validate on the same images and the scan's counts are the trainer's exactly.
 */
export const APP_SPLIT_SEED = 0;

/** The validation shares the wizard's slider offers (5 % to 50 % in steps of 5 %): `valByRatio[k]` is for (k + 1) / 20. */
export const SLIDER_RATIOS = Array.from({ length: 10 }, (_, k) => (k + 1) / 20);

/**
 * A file's fixed draw in [0, 1), as the trainer's `split_draw` (docker/deit_trainer/dataset.py):
 * the first 8 bytes of sha256("deit-studio-split\0{seed}\0{class}\0{path inside the class folder}"),
 * big-endian, divided by 2^64. The file is in validation when its draw is below the validation share.
 */
export function splitDraw(seed: number, className: string, pathInClass: string): number {
  const digest = createHash('sha256')
    .update(`deit-studio-split\0${seed}\0${className}\0${pathInClass}`, 'utf8')
    .digest();
  return Number(digest.readBigUInt64BE(0)) / 2 ** 64;
}

/**
 * Validation images of a class under the trainer's rule (no test share): the files whose draw is
 * below `ratio`, except that a class of 2 or more keeps at least one validation and one training
 * image, and a single image trains.
 */
export function valCount(draws: readonly number[], ratio: number): number {
  const n = draws.length;
  if (n < 2) return 0;
  const val = draws.reduce((k, d) => (d < ratio ? k + 1 : k), 0);
  return Math.min(n - 1, Math.max(1, val));
}
