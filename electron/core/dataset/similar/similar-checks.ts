import { AppError, type SimilarImages } from '../../../contract';
import { findSimilarAcrossClasses } from './find-similar';
import type { ImageRecord } from '../scan/inspect-image-file';

/** Folders whose image lists are kept for the check (the latest scans win). */
const KEPT_FOLDERS = 3;

/**
 * The near-duplicate checks of one core: the usable images of the folders scanned last (so the check
 * needs no second scan), and the check running for each folder (a newer check or scan cancels it).
 *
 *   checks.remember(real, images, classNames);             // after a scan
 *   await checks.run(root, real, (done, total) => emit());  // dataset.similar
 */
export class SimilarChecks {
  private readonly scanned = new Map<string, { images: ImageRecord[]; classNames: string[] }>();
  private readonly running = new Map<string, AbortController>();

  /** Keeps a finished scan's images for `real` (the folder's real path). */
  remember(real: string, images: ImageRecord[], classNames: string[]): void {
    this.scanned.delete(real);
    this.scanned.set(real, { images, classNames });
    while (this.scanned.size > KEPT_FOLDERS) this.scanned.delete(this.scanned.keys().next().value as string);
  }

  /** Cancels the check running on a folder, if any. */
  cancel(real: string): void {
    this.running.get(real)?.abort();
  }

  /** Cancels everything (the core closes). */
  close(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  /** Runs the check on a scanned folder; `root` is the path as the caller gave it, echoed in the result. */
  async run(root: string, real: string, onProgress: (done: number, total: number) => void): Promise<SimilarImages> {
    const kept = this.scanned.get(real);
    if (!kept) {
      throw new AppError('validation', 'Near-duplicates are looked for only in a folder scanned in this session.', {
        fix: 'Scan the folder first, then check it.',
        detail: 'not_scanned',
      });
    }
    this.cancel(real);
    const controller = new AbortController();
    this.running.set(real, controller);
    const started = performance.now();
    try {
      const found = await findSimilarAcrossClasses(kept.images, kept.classNames, {
        signal: controller.signal,
        onProgress: (done, total) => {
          if (!controller.signal.aborted) onProgress(done, total);
        },
      });
      return { root, ...found, durationMs: Math.round(performance.now() - started) };
    } finally {
      if (this.running.get(real) === controller) this.running.delete(real);
    }
  }
}
