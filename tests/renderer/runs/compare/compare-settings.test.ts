import { settingRows } from '../../../../renderer/src/runs/compare/compare-settings';
import { comparedRun } from './compare-fixtures';

/** The settings table shows what ran where the trainer decided it, next to what was asked. */
describe('settingRows with resolved values', () => {
  const scratch = comparedRun('scratch', {
    settings: { pretrained: false, layerDecay: 0.75, imgSize: 32 },
    resolved: { batchSize: 32, learningRate: 0.000125, layerDecay: 1, precision: 'fp32', compile: false },
  });
  const pretrained = comparedRun('pretrained', {
    settings: { layerDecay: 0.75 },
    resolved: { batchSize: 64, learningRate: 0.0001, layerDecay: 0.75, precision: 'bf16', compile: true },
  });
  const older = comparedRun('older');
  const rows = settingRows([scratch, pretrained, older], 0);
  const row = (key: string) => rows.find((r) => r.key === key)!.values;

  it('says a layer decay the trainer turned off, and why', () => {
    expect(row('layerDecay')).toEqual(['0.75 → off (from scratch)', '0.75', '0.75']);
  });

  it('shows the automatic precision, compile, batch size and learning rate as resolved', () => {
    expect(row('precision')).toEqual(['automatic → fp32', 'automatic → bf16', 'automatic']);
    expect(row('compile')).toEqual(['automatic → off', 'automatic → on', 'automatic']);
    expect(row('batchSize')).toEqual(['automatic → 32', 'automatic → 64', 'automatic']);
    expect(row('learningRate')).toEqual([
      'automatic → 0.000125 (scaled to the batch)',
      'automatic → 0.0001 (scaled to the batch)',
      'automatic (scaled to the batch)',
    ]);
    expect(rows.find((r) => r.key === 'precision')!.differs).toEqual([false, true, true]);
  });

  it('names the model without the size its weights were made for, the image size has its own row', () => {
    expect(row('modelId')[0]).toBe('DeiT-Tiny (deit_tiny_patch16_224)');
    expect(row('imgSize')[0]).toBe('32 px');
  });
});
