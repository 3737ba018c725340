import { describe, expect, it } from 'vitest';
import { fetchWeightsContainerSpec, trainContainerSpec } from '../../../../../electron/core/docker/container-spec';
import { configFor, LOCAL_RUN_ENGINE } from '../../../../../electron/core/runs/place/run-places';
import { toTrainerConfig } from '../../../../../electron/core/runs/folder/trainer-config';
import { RunSettings } from '../../../../../electron/contract';

// A run on a server mounts engine volumes instead of this computer's folders (docs/engine-remote.md).
describe('the training container of a run on a server', () => {
  const spec = trainContainerSpec({
    runId: '20261127-2340-deit-small-x7k2',
    attempt: 1,
    image: 'deit-studio/trainer:abc',
    settings: { device: 'gpu', gpuIds: ['0'] },
    mounts: {
      dataset: { volume: 'deit-studio-data-0123456789abcdef' },
      run: { volume: 'deit-studio-run-20261127-2340-deit-small-x7k2' },
      config: null,
      weights: { volume: 'deit-studio-weights' },
      cache: { volume: 'deit-studio-cache' },
      init: null,
      compileCache: { volume: 'deit-studio-compile-0123456789abcdef' },
    },
    user: { uid: 1000, gid: 1000 },
    totalMemoryBytes: 8 * 1024 ** 3,
    resume: false,
    dataDir: '/d',
    namePrefix: 'deit-studio',
  });

  it('mounts named volumes (dataset, weights and cache read-only), no config file, nothing of this computer', () => {
    expect(spec.HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: 'deit-studio-data-0123456789abcdef', Target: '/data', ReadOnly: true },
      { Type: 'volume', Source: 'deit-studio-run-20261127-2340-deit-small-x7k2', Target: '/run', ReadOnly: false },
      { Type: 'volume', Source: 'deit-studio-weights', Target: '/weights', ReadOnly: true },
      { Type: 'volume', Source: 'deit-studio-cache', Target: '/cache', ReadOnly: true },
      { Type: 'volume', Source: 'deit-studio-compile-0123456789abcdef', Target: '/compile-cache', ReadOnly: false },
    ]);
    expect(spec.HostConfig?.NetworkMode).toBe('none');
  });

  it('the weights step writes the weights volume', () => {
    const fetch = fetchWeightsContainerSpec({
      runId: 'r',
      image: 'i',
      modelId: 'deit_small_patch16_224',
      weightsDir: { volume: 'deit-studio-weights' },
      user: null,
      dataDir: '/d',
      namePrefix: 'deit-studio',
      networkMode: 'default',
    });
    expect(fetch.HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: 'deit-studio-weights', Target: '/weights', ReadOnly: false },
    ]);
  });

  it('reads the images from the volume’s images/ folder; a local run’s config is unchanged', () => {
    const config = toTrainerConfig(
      RunSettings.parse({ datasetPath: '/home/ann/flowers', modelId: 'deit_tiny_patch16_224' }),
    );
    expect(configFor({ id: 'ssh-abcdef', kind: 'ssh', label: 'ann@gpu1' }, config).data.root).toBe('/data/images');
    expect(configFor(LOCAL_RUN_ENGINE, config)).toBe(config);
  });
});
