import type { DatasetScan } from '@contract';

/** Why a scanned folder cannot be trained on (the core's blocker), or null when it can. */
export function datasetBlocker(scan: DatasetScan): string | null {
  if (scan.canTrain) return null;
  return scan.warnings.find((w) => w.severity === 'blocker')?.message ?? 'This folder cannot be trained on as it is.';
}
