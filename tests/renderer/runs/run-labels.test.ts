import { MODEL_IDS } from '../../../electron/contract';
import { modelLabel, runDurationS } from '../../../renderer/src/runs/run-labels';
import { formatMetric, formatRateTick } from '../../../renderer/src/components/format';
import { niceTicks } from '../../../renderer/src/charts/nice-domain';

describe('run labels', () => {
  it('speed ticks of a slow run stay distinct (not "0/s 0/s 0/s 1/s"); fast ones are whole numbers', () => {
    const slow = niceTicks(0, 1.2).map(formatRateTick);
    expect(slow).toEqual(['0/s', '0.5/s', '1/s']);
    expect(new Set(niceTicks(0, 0.9, 4).map(formatRateTick)).size).toBe(niceTicks(0, 0.9, 4).length);
    expect(niceTicks(0, 0.9, 4).map(formatRateTick)).toEqual(['0/s', '0.25/s', '0.5/s', '0.75/s']);
    expect(formatRateTick(12.5)).toBe('12.5/s');
    expect(formatRateTick(7750)).toBe('7,750/s');
  });

  it('names every model in words', () => {
    expect(modelLabel('deit_tiny_patch16_224')).toBe('DeiT-Tiny, 224 px');
    expect(modelLabel('deit_small_distilled_patch16_224')).toBe('DeiT-Small distilled, 224 px');
    expect(modelLabel('deit3_base_patch16_224')).toBe('DeiT III-Base, 224 px');
    expect(modelLabel('deit_base_patch16_384')).toBe('DeiT-Base, 384 px');
    for (const id of MODEL_IDS) expect(modelLabel(id)).not.toBe(id);
    expect(modelLabel('vit_huge')).toBe('vit_huge');
  });

  it('formats metrics with about three significant digits', () => {
    expect(formatMetric(0.41234)).toBe('0.412');
    expect(formatMetric(12.345)).toBe('12.3');
    expect(formatMetric(2.5e-5)).toBe('2.50e-5');
    expect(formatMetric(Number.NaN)).toBe('—');
  });

  it('measures a run’s duration, also while it is going', () => {
    expect(runDurationS({ durationS: 42, startedAt: null, endedAt: null })).toBe(42);
    expect(runDurationS({ durationS: null, startedAt: null, endedAt: null })).toBeNull();
    expect(runDurationS({ durationS: null, startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T01:00:00Z' })).toBe(
      3600,
    );
  });
});
