import { describe, expect, it } from 'vitest';
import { formatDuration, perGpuBatch, roundEstimate, RunSettings } from '../../../../../electron/contract';
import { expectedImgPerS } from '../../../../../electron/core/runs/estimate/model-catalog';
import { estimateRun, STEP_FIXED_S } from '../../../../../electron/core/runs/estimate/run-estimate';

const H100 = 'NVIDIA H100 80GB HBM3';
const settings = RunSettings.parse({ datasetPath: '/home/ann/flowers/', modelId: 'deit_small_patch16_224', epochs: 3 });
// The new-user trial's case: DeiT-Ti at 32 px, 2 epochs, the digits set, GPUs 0, 1 and 3 of four H100s.
const trial = RunSettings.parse({
  datasetPath: '/data/digits',
  modelId: 'deit_tiny_patch16_224',
  epochs: 2,
  imgSize: 32,
  gpuIds: ['0', '1', '3'],
});
const digits = { train: 1438, val: 359 };
const fourH100 = [H100, H100, H100, H100];

describe('estimateRun on GPUs', () => {
  it('is steps × step time plus evaluation and setup, explained', () => {
    const est = estimateRun({ ...settings, epochs: 10, compile: false }, { train: 77_500, val: 0 }, ['NVIDIA H100']);
    // auto batch 512 (the cap), 152 steps an epoch, each 2.5 ms + 512 / 7,750 s
    const step = STEP_FIXED_S + 512 / 7750;
    expect(est.seconds).toBe(roundEstimate(10 * 152 * step + 30 + 77_500 / 800));
    expect(est.explanation).toContain(
      '77,500 training images × 10 epochs in batches of up to 512 (152 steps per epoch)',
    );
    expect(est.memoryGiB).toBeGreaterThan(0);
  });

  it('uses the GPU panel’s batch rule on each GPU’s share of the images (16 here, not 64)', () => {
    expect(perGpuBatch(digits.train, 3, 'auto')).toBe(16); // ⌈1,438 / 3⌉ = 480 images → 16 for ≥ 30 steps
    const est = estimateRun(trial, digits, fourH100);
    expect(est.explanation).toContain('in steps of 3 GPUs × up to 16 = 48 images (30 steps per epoch)');
    expect(est.explanation).toContain('at batch size 16');
    expect(est.explanation).not.toContain('batch size 64');
    // a fixed batch is per GPU, capped at the GPU's share (as the trainer's fixed_batch)
    expect(perGpuBatch(100, 4, 64)).toBe(25);
    expect(estimateRun({ ...trial, batchSize: 32 }, digits, fourH100).explanation).toContain('3 GPUs × 32 = 96');
  });

  it('counts every chosen GPU, as ideal scaling it says is assumed', () => {
    const big = { train: 100_000, val: 0 };
    const one = estimateRun({ ...settings, gpuIds: ['0'], compile: false }, big, fourH100);
    const four = estimateRun({ ...settings, gpuIds: ['0', '1', '2', '3'], compile: false }, big, fourH100);
    const setup = 30 + 100_000 / 800;
    // per-GPU batch: 512 on one GPU; 408 on each of four (⌈25,000 / 29⌉ rounded down to 8s)
    const oneTrain = 3 * Math.ceil(100_000 / 512) * (STEP_FIXED_S + 512 / 7750);
    const fourTrain = 3 * Math.ceil(100_000 / (4 * 408)) * (STEP_FIXED_S + 408 / 7750);
    expect(one.seconds).toBe(roundEstimate(oneTrain + setup));
    expect(four.seconds).toBe(roundEstimate(fourTrain + setup));
    expect(four.explanation).toContain('on 4 × NVIDIA H100 80GB HBM3');
    expect(four.explanation).toContain('ideal scaling, assumed, not measured');
    expect(one.explanation).not.toContain('ideal scaling');
    // no GPU chosen: the trainer takes every GPU of the machine
    expect(estimateRun({ ...settings, gpuIds: [], compile: false }, big, fourH100).seconds).toBe(four.seconds);
  });

  it('lets the slowest chosen GPU set the pace, and has no figure when one is unknown', () => {
    const mixed = estimateRun({ ...settings, gpuIds: ['0', '1'] }, digits, [H100, 'NVIDIA A100-SXM4-80GB']);
    expect(mixed.explanation).toContain('2 GPUs (the slowest, NVIDIA A100-SXM4-80GB, sets the pace)');
    const unknown = estimateRun({ ...settings, gpuIds: ['0', '1'] }, digits, [H100, 'Matrox G200']);
    expect(unknown.seconds).toBeNull();
    expect(unknown.explanation).toContain('no speed figures for Matrox G200');
    expect(estimateRun({ ...settings, gpuIds: ['1'] }, digits, ['Matrox G200', H100]).seconds).not.toBeNull();
  });

  it('caps the small-image speed-up at half the model’s size (112 px: 4× the 224 px speed)', () => {
    expect(expectedImgPerS('deit_tiny_patch16_224', H100, 112)).toBe(15_500 * 4);
    expect(expectedImgPerS('deit_tiny_patch16_224', H100, 32)).toBe(15_500 * 4); // not 759,500
    expect(expectedImgPerS('deit_tiny_patch16_224', H100, 160)).toBe(Math.round(15_500 / (160 / 224) ** 2));
    expect(expectedImgPerS('deit_base_patch16_384', H100, 96)).toBe(1000 * 4); // half of 384 is 192
    const est = estimateRun(trial, digits, fourH100);
    expect(est.explanation).not.toContain('759,500');
    expect(est.explanation).toContain('Images under 112 px are counted as fast as 112 px ones');
    // 48 images a step of 2.5 ms + 16 / 62,000 s = 17,404 images/s, written at the precision it has
    expect(est.explanation).toContain('at about 17,000 images/s for DeiT-Ti at 32 px on 3 × NVIDIA H100 80GB HBM3');
  });

  it('writes its total and its parts in the one duration format the headline uses', () => {
    const est = estimateRun(trial, digits, fourH100);
    // 30 + 1,797 / 800 + 60 s = 92.2 s to start: "1 min 30 s", and the total is rounded likewise
    expect(est.explanation).toContain('about 1 min 30 s to start');
    expect(est.explanation.startsWith(`About ${formatDuration(est.seconds)}:`)).toBe(true);
    expect(est.seconds! % 10).toBe(0);
    expect(est.explanation).not.toMatch(/minutes|seconds/);
  });

  it('writes slow speeds with their figures, not rounded to nothing', () => {
    const t4 = estimateRun({ ...settings, modelId: 'deit_base_patch16_384', imgSize: 384 }, digits, ['Tesla T4']);
    // 1,000 × 0.04 = 40 img/s at batch 48 (+ 2.5 ms a step: 39.9), not "0"
    expect(t4.explanation).toContain('at about 40 images/s for DeiT-B 384 at 384 px on Tesla T4');
  });

  it('does not guess on the processor', () => {
    expect(estimateRun({ ...settings, device: 'cpu' }, digits, fourH100).seconds).toBeNull();
  });
});

describe('the shared duration format', () => {
  it('writes seconds, minutes, hours and days the same way everywhere', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(92)).toBe('1 min 32 s');
    expect(formatDuration(3725)).toBe('1 h 2 min');
    expect(formatDuration(200 * 3600)).toBe('8 days 8 h');
    expect(formatDuration(null)).toBe('unknown');
  });

  it('rounds an estimate to the precision it has', () => {
    expect(roundEstimate(92.2)).toBe(90);
    expect(roundEstimate(754)).toBe(780); // to the minute from 10 minutes on: 12 min 34 s → 13 min
    expect(roundEstimate(5432)).toBe(5460); // 1 h 31 min
    expect(roundEstimate(9123)).toBe(9000); // to 5 minutes from 2 hours on
    expect(roundEstimate(9_000)).toBe(9_000);
    expect(roundEstimate(2)).toBe(1);
  });
});
