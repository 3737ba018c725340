import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunResults } from '../../../../../electron/contract';
import { RunFolder } from '../../../../../electron/core/runs/folder/run-folder';
import { readRunResults } from '../../../../../electron/core/runs/history/run-results';

let runsDir: string;
let folder: RunFolder;

function write(relative: string, value: unknown) {
  const file = folder.trainerFile(relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
}

// What today's trainer writes (docs/run-folder.md): a class without validation images, a test split.
const confusion = {
  labels: ['rose', 'tulip', 'daisy'],
  matrix: [
    [8, 2, 0],
    [1, 9, 0],
    [0, 0, 0],
  ],
};
const perClass = [
  { name: 'rose', precision: 8 / 9, recall: 0.8, f1: 0.842, support: 10 },
  { name: 'tulip', precision: 9 / 11, recall: 0.9, f1: 0.857, support: 10 },
  { name: 'daisy', precision: null, recall: null, f1: null, support: 0 },
];
const split = (count: number) => ({
  count,
  top1: 0.85,
  top1_ci: [0.63, 0.95],
  top5: null,
  loss: 0.4,
  balanced_accuracy: 0.85,
  macro_f1: 0.85,
  classes_without_images: ['daisy'],
  per_class: perClass,
  confusion,
});

beforeEach(() => {
  runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-results-'));
  folder = new RunFolder(runsDir, 'run-1');
});

afterEach(() => fs.rmSync(runsDir, { recursive: true, force: true }));

describe('readRunResults', () => {
  it('reads the final numbers, what picked the epoch, the test split and parity on validation images', async () => {
    write('eval/metrics.json', {
      val_top1: 0.85,
      val_top5: null,
      val_loss: 0.4,
      per_class: perClass,
      confusion,
      val_count: 20,
      val_top1_ci: [0.6396, 0.9476],
      val_balanced_accuracy: 0.85,
      val_macro_f1: 0.8496,
      classes_without_val: ['daisy'],
      selection_metric: 'balanced_accuracy',
      selection_reason: 'classes are imbalanced',
      best_epoch: 3,
      precision: 'fp32',
      training_precision: 'bf16',
      test: split(40),
      headline: { split: 'test' },
    });
    write('export/parity.json', {
      onnx: {
        max_abs_logit_diff: 2e-6,
        max_abs_prob_diff: 3e-7,
        top1_agreement: 1,
        images: 20,
        inputs: 'validation',
      },
      torchscript: null,
    });
    for (const name of ['model.onnx', 'model.torchscript.pt', 'labels.json']) write(`export/${name}`, 'x');

    const results = RunResults.parse(await readRunResults(folder)); // what the core sends validates
    expect(results.validation).toEqual({
      split: 'validation',
      count: 20,
      top1: 0.85,
      top1Interval: [0.6396, 0.9476],
      top5: null,
      balancedAccuracy: 0.85,
      macroF1: 0.8496,
      classesWithoutImages: ['daisy'],
    });
    expect(results.test).toMatchObject({ split: 'test', count: 40, top1Interval: [0.63, 0.95] });
    expect(results.selection).toEqual({ metric: 'balanced_accuracy', reason: 'classes are imbalanced', bestEpoch: 3 });
    expect(results.evalPrecision).toBe('fp32');
    expect(results.perClass.find((c) => c.name === 'daisy')).toEqual(perClass[2]); // kept, not dropped
    const onnx = results.exports.find((e) => e.format === 'onnx')!;
    expect(onnx.parityMaxAbsDiff).toBe(3e-7);
    expect(onnx.parity).toEqual({
      maxAbsLogitDiff: 2e-6,
      maxAbsProbDiff: 3e-7,
      top1Agreement: 1,
      images: 20,
      inputs: 'validation',
    });
    const torchscript = results.exports.find((e) => e.format === 'torchscript')!;
    expect([torchscript.parity, torchscript.parityMaxAbsDiff]).toEqual([null, null]); // not checked
    expect(results.exports.find((e) => e.format === 'json')!.parity).toBeNull();
  });

  it('loads a run folder from an older trainer: the new numbers are null', async () => {
    write('eval/metrics.json', {
      val_top1: 0.9,
      val_top5: 1,
      per_class: [{ name: 'rose', precision: 1, recall: 0.8, f1: 0.89, support: 5 }],
      confusion: { labels: ['rose'], matrix: [[5]] },
    });
    write('export/parity.json', { onnx: 1e-6 });
    write('export/model.onnx', 'x');
    const results = RunResults.parse(await readRunResults(folder));
    expect(results).toMatchObject({ valTop1: 0.9, valTop5: 1, validation: null, test: null, selection: null });
    expect(results.evalPrecision).toBeNull();
    expect(results.exports).toEqual([
      { format: 'onnx', path: folder.trainerFile('export/model.onnx'), parityMaxAbsDiff: 1e-6, parity: null },
    ]);
  });

  it('gives each mistake its attention map when eval/attention.json has one (older runs: none)', async () => {
    write('eval/metrics.json', { val_top1: 0.5, val_count: 2 });
    const wrong = [
      { path: 'rose/1.jpg', true: 'rose', predicted: 'tulip', confidence: 0.9 },
      { path: 'tulip/2.jpg', true: 'tulip', predicted: 'rose', confidence: 0.6 },
    ];
    write('eval/misclassified.json', wrong);
    expect((await readRunResults(folder)).misclassified.map((m) => m.attention)).toEqual([undefined, undefined]);
    const cls = Buffer.from(Array.from({ length: 196 }, (_, i) => i)).toString('base64'); // 14×14, DeiT at 224 px
    write('eval/attention.json', {
      method: 'attention rollout',
      maps: { 'rose/1.jpg': { grid: [14, 14], cls }, 'tulip/2.jpg': { grid: [14, 14], cls: 'AAAA' } },
    });
    const results = RunResults.parse(await readRunResults(folder));
    expect(results.misclassified[0]?.attention).toEqual({ grid: [14, 14], cls });
    expect(results.misclassified[1]?.attention).toBeUndefined(); // 3 bytes for 196 patches: left out
  });

  it('ignores a test section or parity entry it cannot read instead of failing', async () => {
    write('eval/metrics.json', { val_top1: 0.5, val_count: 2, test: { count: 'many' } });
    write('export/parity.json', { onnx: { max_abs_prob_diff: 'tiny' } });
    write('export/model.onnx', 'x');
    const results = await readRunResults(folder);
    expect(results.test).toBeNull();
    expect(results.validation).toMatchObject({ count: 2, top1: 0.5, top1Interval: null, classesWithoutImages: [] });
    expect(results.exports[0]).toMatchObject({ parityMaxAbsDiff: null, parity: null });
  });

  it('reads a run from before output/ from its folder, and follows no link a container planted', async () => {
    const old = new RunFolder(runsDir, 'run-old');
    fs.mkdirSync(path.join(old.dir, 'eval'), { recursive: true });
    fs.writeFileSync(path.join(old.dir, 'metrics.jsonl'), '');
    fs.writeFileSync(path.join(old.dir, 'eval', 'metrics.json'), JSON.stringify({ val_top1: 0.7 }));
    fs.writeFileSync(path.join(runsDir, 'secret.md'), 'a file of the user');
    fs.symlinkSync(path.join(runsDir, 'secret.md'), path.join(old.dir, 'report.md'));
    fs.symlinkSync(path.join(runsDir, 'secret.md'), path.join(old.dir, 'eval', 'misclassified.json'));
    const results = await readRunResults(old);
    expect(results.valTop1).toBe(0.7);
    expect(results.misclassified).toEqual([]);
    expect(results.reportMarkdown).not.toContain('a file of the user');
    expect(results.reportMarkdown).toContain('report.md in the run folder is a link');
  });

  it('says a run has no results before eval/metrics.json exists', async () => {
    await expect(readRunResults(folder)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
