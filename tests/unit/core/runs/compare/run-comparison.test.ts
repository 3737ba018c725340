import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, calls } from '../../../../../electron/contract';
import { compareRuns } from '../../../../../electron/core/runs/compare/run-comparison';
import { RunFolder } from '../../../../../electron/core/runs/folder/run-folder';
import { fixtureLines } from '../../../../helpers/runs-fixtures';
import { writeRunFolder } from '../../../../helpers/runs-folders';
import { tempDir } from '../../../../helpers/runs-temp';

let dir: string;
let cleanup: () => void;
let runsDir: string;
const src = () => ({ runsDir, liveRun: () => undefined, now: new Date('2026-11-28T10:00:00Z') });

/** eval/metrics.json as the trainer writes it (docs/run-folder.md), for a run without a test split. */
function evalMetrics(top1: number) {
  return {
    val_top1: top1,
    val_top5: null,
    val_loss: 0.4,
    per_class: [
      { name: 'class_0', precision: 1, recall: 1, f1: 1, support: 3 },
      { name: 'class_1', precision: 0.8, recall: 0.67, f1: 0.73, support: 6 },
    ],
    confusion: {
      labels: ['class_0', 'class_1'],
      matrix: [
        [3, 0],
        [2, 4],
      ],
    },
    val_count: 9,
    val_top1_ci: [top1 - 0.2, Math.min(1, top1 + 0.1)],
    val_balanced_accuracy: 0.83,
    val_macro_f1: 0.86,
    classes_without_val: [],
    selection_metric: 'top1',
    selection_reason: null,
    best_epoch: 3,
    precision: 'fp32',
    test: null,
    headline: { split: 'validation', count: 9, top1, top1_ci: [top1 - 0.2, top1 + 0.1] },
  };
}

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  runsDir = path.join(dir, 'runs');
  const settings = { datasetPath: path.join(dir, 'flowers'), modelId: 'deit_tiny_patch16_224' as const, epochs: 4 };
  writeRunFolder(runsDir, 'run-a', { settings, metricsFixture: 'finished-run.jsonl', state: { status: 'finished' } });
  const evalFile = new RunFolder(runsDir, 'run-a').trainerFile('eval/metrics.json');
  fs.mkdirSync(path.dirname(evalFile), { recursive: true });
  fs.writeFileSync(evalFile, JSON.stringify(evalMetrics(0.778)));
  writeRunFolder(runsDir, 'run-b', {
    settings: { ...settings, valRatio: 0.3, learningRate: 0.001, fromRunId: 'run-a' },
    metricsFixture: 'stopped-resumed.jsonl',
    state: { status: 'stopped' },
  });
});
afterEach(() => cleanup());

describe('runs.compare', () => {
  it('gives each run its settings, data, curves by epoch and time, and final metrics', async () => {
    const [a, b] = await compareRuns(['run-a', 'run-b'], 400, src());
    expect(a?.id).toBe('run-a');
    expect(a?.settings.valRatio).toBe(0.2);
    expect(b?.settings.valRatio).toBe(0.3);
    expect(b?.settings.learningRate).toBe(0.001);
    expect(b?.settings.fromRunId).toBe('run-a');

    // From the fixture's run_started.
    expect(a?.data).toMatchObject({
      splitSeed: 0,
      splitFrom: null,
      layout: 'class-folders',
      trainCount: 47,
      valCount: 11,
    });

    // Epoch e ends at global step e × 3: its time after the first step (fixture times).
    const epochEvents = fixtureLines('finished-run.jsonl')
      .map((line) => JSON.parse(line) as { type: string; epoch?: number; val_top1?: number })
      .filter((e) => e.type === 'epoch');
    const steps = fixtureLines('finished-run.jsonl')
      .map((line) => JSON.parse(line) as { type: string; global_step: number; time: number })
      .filter((e) => e.type === 'step');
    const t0 = steps[0]!.time;
    expect(a?.epochs.map((e) => e.epoch)).toEqual(epochEvents.map((e) => e.epoch));
    expect(a?.epochs[0]?.elapsedS).toBeCloseTo(steps.find((s) => s.global_step === 3)!.time - t0, 6);
    expect(a?.epochs[3]?.elapsedS).toBeCloseTo(steps.find((s) => s.global_step === 12)!.time - t0, 6);
    expect(a?.epochs.map((e) => e.valTop1)).toEqual(epochEvents.map((e) => e.val_top1));
    expect(a?.steps[0]).toEqual({ globalStep: 1, elapsedS: 0, loss: expect.any(Number) as number });

    // The headline numbers of eval/metrics.json, with the interval, and the per-class rows.
    expect(a?.headline).toMatchObject({
      split: 'validation',
      count: 9,
      top1: 0.778,
      balancedAccuracy: 0.83,
      macroF1: 0.86,
    });
    expect(a?.headline?.top1Interval?.[0]).toBeCloseTo(0.578, 6);
    expect(a?.bestEpoch).toBe(3);
    expect(a?.perClass.map((c) => [c.name, c.f1])).toEqual([
      ['class_0', 1],
      ['class_1', 0.73],
    ]);

    // A stopped run without results is compared by its curves alone.
    expect(b?.status).toBe('stopped');
    expect(b?.headline).toBeNull();
    expect(b?.perClass).toEqual([]);
    expect(b?.epochs.length).toBeGreaterThan(0);
  });

  it('downsamples long step series to maxPoints (LTTB keeps the first and last)', async () => {
    const [a] = await compareRuns(['run-a', 'run-b'], 5, src());
    expect(a?.steps).toHaveLength(5);
    expect(a?.steps[0]?.globalStep).toBe(1);
    expect(a?.steps[4]?.globalStep).toBe(12);
  });

  it('refuses an unknown run and the same run twice, with what to do', async () => {
    await expect(compareRuns(['run-a', 'nope'], 400, src())).rejects.toMatchObject({ kind: 'not_found' });
    const twice = await compareRuns(['run-a', 'run-a'], 400, src()).catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(AppError);
    expect(twice).toMatchObject({ kind: 'validation', fix: expect.stringContaining('two runs') as string });
  });

  it('takes 2 to 10 run ids of plain folder names (the contract)', () => {
    const input = calls['runs.compare'].input;
    expect(input.safeParse({ ids: ['a'] }).success).toBe(false);
    expect(input.safeParse({ ids: Array.from({ length: 11 }, (_, i) => `r${i}`) }).success).toBe(false);
    expect(input.safeParse({ ids: ['a', '../b'] }).success).toBe(false);
    expect(input.parse({ ids: ['a', 'b'] })).toEqual({ ids: ['a', 'b'], maxPoints: 400 });
  });

  it('says what each run actually used: resolved-config.json first, then run_started', async () => {
    // run-a: the trainer's resolved config (compile "auto" decided on mid-run, so it says true).
    const file = new RunFolder(runsDir, 'run-a').trainerFile('resolved-config.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ train: { precision: 'bf16', compile: true, lr: 0.0002 }, resolved: { global_batch_size: 64 } }),
    );
    const [a, b] = await compareRuns(['run-a', 'run-b'], 400, src());
    expect(a?.resolved).toEqual({
      batchSize: 64,
      learningRate: 0.0002,
      layerDecay: 0.75,
      precision: 'bf16',
      compile: true,
    });
    // run-b has no resolved-config.json: its run_started says fp32, compile off, and the recipe's lr.
    expect(b?.resolved).toMatchObject({ precision: 'fp32', compile: false, layerDecay: 0.75 });
    expect(b?.resolved?.learningRate).toEqual(expect.any(Number));
  });
});
