import { describe, expect, it } from 'vitest';
import { resplit } from '../../../renderer/src/wizard/dataset/resplit';
import { scanClean } from './fixtures';

describe('resplit: the slider’s counts without a new scan', () => {
  const table = [1, 3, 6, 9, 10, 14, 15, 17, 20, 22]; // a class of 40 images: val at 5 %, 10 %, …, 50 %
  const scan = {
    ...scanClean,
    classes: [{ ...scanClean.classes[0]!, train: 34, val: 6, valByRatio: table }],
  };

  it('takes the trainer’s exact per-class count at the slider’s shares', () => {
    expect(resplit(scan, 0.3).classes[0]).toMatchObject({ train: 26, val: 14 });
    expect(resplit(scan, 0.05).classes[0]).toMatchObject({ train: 39, val: 1 });
    expect(resplit(scan, 0.5).classes[0]).toMatchObject({ train: 18, val: 22 });
  });

  it('falls back to the expected count between the steps and for scans without the table', () => {
    expect(resplit(scan, 0.33).classes[0]).toMatchObject({ train: 27, val: 13 }); // round(40 × 0.33)
    const old = { ...scan, classes: [{ ...scan.classes[0]!, valByRatio: undefined }] };
    expect(resplit(old, 0.3).classes[0]).toMatchObject({ train: 28, val: 12 });
  });
});
