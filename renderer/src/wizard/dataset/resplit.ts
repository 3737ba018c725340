import { autoValCount, type DatasetScan } from '@contract';

/**
 * The scan with its automatic split redone for another validation share, so moving the slider needs no
 * new scan: the trainer's exact per-class counts at the slider's shares (`valByRatio`, 5 % steps), else
 * the expected count (`autoValCount`). An existing split is returned as it is.
 */
export function resplit(scan: DatasetScan, ratio: number): DatasetScan {
  if (scan.split.kind !== 'auto') return scan;
  const step = Math.round(ratio * 20);
  const exact = Math.abs(ratio * 20 - step) < 1e-9 && step >= 1 ? step - 1 : -1;
  return {
    ...scan,
    split: { ...scan.split, valRatio: ratio },
    classes: scan.classes.map((c) => {
      const n = c.train + c.val;
      const val = c.valByRatio?.[exact] ?? autoValCount(n, ratio);
      return { ...c, train: n - val, val };
    }),
  };
}
