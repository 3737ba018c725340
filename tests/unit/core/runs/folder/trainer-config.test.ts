import { describe, expect, it } from 'vitest';
import { RunSettings, TrainerConfig } from '../../../../../electron/contract';
import { toTrainerConfig } from '../../../../../electron/core/runs/folder/trainer-config';

describe('toTrainerConfig', () => {
  it('maps the wizard settings to a valid trainer config with container paths', () => {
    const settings = RunSettings.parse({
      datasetPath: '/home/ann/flowers',
      modelId: 'deit_tiny_patch16_224',
      epochs: 2,
      imgSize: 32,
      batchSize: 16,
      learningRate: 0.001,
      valRatio: 0.25,
      seed: 7,
      device: 'cpu',
      augment: 'light',
      earlyStoppingPatience: 3,
    });
    const config = toTrainerConfig(settings);
    expect(TrainerConfig.parse(config)).toEqual(config);
    // the split's seed is fixed (the scan shows the same split); the training seed is the user's
    expect(config.data).toMatchObject({ root: '/data', val_ratio: 0.25, split_seed: 0, cache_dir: '/cache' });
    expect(config.model).toMatchObject({
      name: 'deit_tiny_patch16_224',
      pretrained: true,
      weights_dir: '/weights',
      init_checkpoint: null,
      img_size: 32,
    });
    expect(config.train).toMatchObject({
      epochs: 2,
      batch_size: 16,
      lr: 0.001,
      device: 'cpu',
      augment: 'light',
      seed: 7,
      early_stopping_patience: 3,
    });
    expect(config.output.run_dir).toBe('/run');
    expect(JSON.stringify(config)).not.toContain('/home/ann');
  });

  it('passes layer-wise lr decay and class balancing to the trainer (defaults: 0.75, none)', () => {
    const base = { datasetPath: '/x', modelId: 'deit_small_patch16_224' } as const;
    expect(toTrainerConfig(RunSettings.parse(base)).train).toMatchObject({ layer_decay: 0.75, class_balance: 'none' });
    const chosen = RunSettings.parse({ ...base, layerDecay: 0.65, classBalance: 'weights' });
    expect(toTrainerConfig(chosen).train).toMatchObject({ layer_decay: 0.65, class_balance: 'weights' });
  });

  it('starts from an earlier run’s best checkpoint at /init instead of pretrained weights', () => {
    const settings = RunSettings.parse({ datasetPath: '/x', modelId: 'deit_small_patch16_224', initFromRunId: 'r0' });
    expect(toTrainerConfig(settings).model).toMatchObject({ pretrained: false, init_checkpoint: '/init/best.pt' });
    expect(toTrainerConfig(settings).train.device).toBe('cuda');
  });
});
