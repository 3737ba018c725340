import { TrainerConfig, type RunSettings } from '../../../contract';
import { APP_SPLIT_SEED } from '../../dataset/scan/split-rule';

/**
 * Where the container sees each mounted folder (docs/run-folder.md, "Inside the container"). `/run` is
 * the run's output/ folder, the only one it writes; the app's config.json is mounted read-only on its
 * own outside it, so a container cannot change what the next attempt runs.
 */
export const CONTAINER_PATHS = {
  data: '/data',
  run: '/run',
  weights: '/weights',
  cache: '/cache',
  init: '/init',
  config: '/config/config.json',
  compileCache: '/compile-cache',
} as const;

/**
 * The trainer's config file for a run: the wizard's settings mapped onto the trainer's
 * config (version 1) with container paths, validated by the same schema the trainer enforces.
 * Starting from an earlier run loads its best checkpoint (mounted at /init) instead of pretrained weights;
 * `pretrained: false` trains from scratch.
 */
export function toTrainerConfig(settings: RunSettings): TrainerConfig {
  const fromRun = settings.initFromRunId !== undefined;
  return TrainerConfig.parse({
    version: 1,
    data: {
      root: CONTAINER_PATHS.data,
      val_ratio: settings.valRatio,
      // Not the training seed: every run on a folder validates on the same images (the scan shows them).
      split_seed: APP_SPLIT_SEED,
      cache_dir: CONTAINER_PATHS.cache,
      num_workers: 'auto',
    },
    model: {
      name: settings.modelId,
      pretrained: !fromRun && settings.pretrained,
      weights_dir: CONTAINER_PATHS.weights,
      init_checkpoint: fromRun ? `${CONTAINER_PATHS.init}/best.pt` : null,
      img_size: settings.imgSize,
      freeze_backbone: settings.freezeBackbone,
    },
    train: {
      epochs: settings.epochs,
      batch_size: settings.batchSize,
      lr: settings.learningRate,
      augment: settings.augment,
      ema: settings.ema,
      layer_decay: settings.layerDecay,
      class_balance: settings.classBalance,
      early_stopping_patience: settings.earlyStoppingPatience,
      seed: settings.seed,
      precision: settings.precision,
      compile: settings.compile,
      device: settings.device === 'cpu' ? 'cpu' : 'cuda',
    },
    output: { run_dir: CONTAINER_PATHS.run },
  });
}
