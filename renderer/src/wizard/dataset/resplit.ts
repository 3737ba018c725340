import { autoValCount, type DatasetScan } from '../../../../electron/contract';

/**
 * The scan with its automatic split redone for another validation share, by the trainer's own rule
 * (`autoValCount`), so moving the slider needs no new scan. An existing split is returned as it is.
 */
export function resplit(scan: DatasetScan, ratio: number): DatasetScan {
  if (scan.split.kind !== 'auto') return scan;
  return {
    ...scan,
    split: { ...scan.split, valRatio: ratio },
    classes: scan.classes.map((c) => {
      const n = c.train + c.val;
      const val = autoValCount(n, ratio);
      return { ...c, train: n - val, val };
    }),
  };
}
