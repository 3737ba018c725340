import { describe, expect, it } from 'vitest';
import { RunSettings } from '../../../../../electron/contract';
import {
  expectedImgPerS,
  expectedMemoryGiB,
  gpuSpeedFactor,
  modelCards,
} from '../../../../../electron/core/runs/estimate/model-catalog';
import { initialRunState, type RunRecordFile } from '../../../../../electron/core/runs/folder/run-files';
import { buildRunSummary, defaultRunName } from '../../../../../electron/core/runs/history/run-summary';
import { finishedOf, metricsOf } from '../../../../helpers/runs-fixtures';

const settings = RunSettings.parse({ datasetPath: '/home/ann/flowers/', modelId: 'deit_small_patch16_224', epochs: 3 });
const record: RunRecordFile = {
  version: 1,
  id: 'r1',
  name: 'DeiT-S on flowers',
  createdAt: '2026-11-27T09:00:00.000Z',
  settings,
  image: null,
};

describe('buildRunSummary', () => {
  it('counts the running attempt’s time on top of earlier attempts', () => {
    const state = {
      ...initialRunState(),
      status: 'running' as const,
      startedAt: '2026-11-27T09:00:00.000Z',
      attemptStartedAt: '2026-11-27T10:00:00.000Z',
      activeSeconds: 100,
    };
    const summary = buildRunSummary(record, state, null, new Date('2026-11-27T10:00:30.000Z'));
    expect(summary.durationS).toBe(130);
    expect(summary.progress).toBeNull();
  });

  it('takes epochs, best accuracy and progress from the metrics when known', () => {
    const state = { ...initialRunState(), status: 'finished' as const, startedAt: 'x', activeSeconds: 42 };
    const summary = buildRunSummary(record, state, metricsOf('finished-run.jsonl'), new Date());
    const finished = finishedOf('finished-run.jsonl');
    expect(summary).toMatchObject({
      epochsDone: finished.epochs_done,
      epochs: finished.epochs_done,
      bestValTop1: finished.best_val_top1,
      durationS: 42,
      resumable: false,
    });
    expect(summary.progress?.epoch).toBe(finished.epochs_done);
  });

  it('shows a failure only on a failed run, and resumable only when stopped or failed', () => {
    const failure = { cause: 'killed' as const, message: 'm', fix: 'f' };
    const running = buildRunSummary(
      record,
      { ...initialRunState(), status: 'running', failure, resumable: true },
      null,
      new Date(),
    );
    expect(running).toMatchObject({ failure: null, resumable: false });
    const failed = buildRunSummary(
      record,
      { ...initialRunState(), status: 'failed', failure, resumable: true },
      null,
      new Date(),
    );
    expect(failed).toMatchObject({ failure, resumable: true });
  });

  it('names an unnamed run after the model and the dataset folder', () => {
    expect(defaultRunName('DeiT-S', '/home/ann/flowers/')).toBe('DeiT-S on flowers');
    expect(defaultRunName('DeiT-S', 'C:\\Users\\ann\\cats')).toBe('DeiT-S on cats');
  });
});

describe('model catalog', () => {
  it('anchors speeds on the measured H100 figures and scales to other GPUs', () => {
    expect(expectedImgPerS('deit_small_patch16_224', 'NVIDIA H100 80GB HBM3')).toBe(7750);
    expect(expectedImgPerS('deit_base_patch16_224', 'NVIDIA H100 PCIe')).toBe(3300);
    expect(expectedImgPerS('deit_small_patch16_224', 'NVIDIA GeForce RTX 4090')!).toBeLessThan(7750);
    expect(expectedImgPerS('deit_small_patch16_224', 'NVIDIA H100', 448)).toBe(Math.round(7750 / 4));
    expect(expectedImgPerS('deit_small_patch16_224', 'Matrox G200')).toBeNull();
    expect(expectedImgPerS('deit_small_patch16_224', null)).toBeNull();
    expect(gpuSpeedFactor('NVIDIA GH200 480GB')).toBe(1.1);
  });

  it('has a card for every model with memory at batch 64', () => {
    const cards = modelCards([]);
    expect(cards).toHaveLength(9);
    for (const card of cards) expect(card.memoryGiBAt64).toBeGreaterThan(0);
  });

  it('memory grows with batch size and image size', () => {
    const at64 = expectedMemoryGiB('deit_small_patch16_224', 64);
    expect(at64).toBeCloseTo(4.5, 1);
    expect(expectedMemoryGiB('deit_small_patch16_224', 128)).toBeGreaterThan(at64);
    expect(expectedMemoryGiB('deit_small_patch16_224', 64, 448)).toBeGreaterThan(at64);
  });
});
