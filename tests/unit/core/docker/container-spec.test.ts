import os from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  fetchWeightsContainerSpec,
  importWeightsContainerSpec,
  memoryLimitBytes,
  predictContainerSpec,
  shmSizeBytes,
  trainCommand,
  trainContainerSpec,
  type TrainContainerInput,
} from '../../../../electron/core/docker/container-spec';
import { CONTAINER_PATHS } from '../../../../electron/core/runs/folder/trainer-config';

const GIB = 1024 ** 3;
/** `train` and its config file inside the container: what every training command ends with. */
const TRAIN = ['train', '--config', CONTAINER_PATHS.config];
const input: TrainContainerInput = {
  runId: '20261127-2340-deit-small-x7k2',
  attempt: 2,
  image: 'deit-studio/trainer:abc',
  settings: { device: 'gpu', gpuIds: [] },
  mounts: {
    dataset: '/home/ann/flowers',
    run: '/d/runs/r1/output',
    config: '/d/runs/r1/config.json',
    weights: '/d/weights',
    cache: '/d/cache',
    init: null,
    compileCache: '/d/compile-cache/0123456789abcdef',
  },
  user: { uid: 1000, gid: 1000 },
  totalMemoryBytes: 64 * GIB,
  resume: false,
  dataDir: '/d',
  namePrefix: 'deit-studio',
};

describe('shmSizeBytes', () => {
  it('is half the RAM, at most 8 GiB, never below Docker’s default', () => {
    expect(shmSizeBytes(64 * GIB)).toBe(8 * GIB);
    expect(shmSizeBytes(8 * GIB)).toBe(4 * GIB);
    expect(shmSizeBytes(64 * 1024 ** 2)).toBe(64 * 1024 ** 2);
  });
});

describe('memoryLimitBytes', () => {
  it('is the share of the RAM, at least 2 GiB, never more than the RAM', () => {
    expect(memoryLimitBytes(64 * GIB, 0.75)).toBe(48 * GIB);
    expect(memoryLimitBytes(4 * GIB, 0.25)).toBe(2 * GIB);
    expect(memoryLimitBytes(1 * GIB, 0.75)).toBe(1 * GIB);
  });
});

describe('trainContainerSpec', () => {
  const spec = trainContainerSpec(input);
  const host = spec.HostConfig!;

  it('runs the trainer on its config, as the user, labelled to be found again', () => {
    // every GPU the container is given (no GPU chosen): the trainer counts them (trainCommand below)
    expect(spec.Cmd).toEqual(['python', '-m', 'deit_trainer', 'launch', '--nproc-per-node', 'all', ...TRAIN]);
    expect(spec.User).toBe('1000:1000');
    expect(spec.name).toBe('deit-studio-20261127-2340-deit-small-x7k2-2');
    expect(spec.Labels).toEqual({
      'deit-studio.run': input.runId,
      'deit-studio.role': 'train',
      'deit-studio.attempt': '2',
      'deit-studio.data-dir': '/d',
    });
    expect(spec.Env).toEqual(expect.arrayContaining(['HF_HOME=/weights', 'HF_HUB_OFFLINE=1']));
  });

  it('is locked down: no network, no new privileges, no capabilities, an init, never auto-removed', () => {
    expect(host.NetworkMode).toBe('none');
    expect(host.SecurityOpt).toEqual(['no-new-privileges']);
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.Init).toBe(true);
    expect(host.AutoRemove).toBe(false);
    expect(host.Privileged).toBeUndefined();
    expect(host.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } });
  });

  it('mounts the dataset, weights and cache read-only (one run cannot poison the next) and the run read-write', () => {
    expect(host.Mounts).toEqual([
      { Type: 'bind', Source: '/home/ann/flowers', Target: '/data', ReadOnly: true },
      { Type: 'bind', Source: '/d/runs/r1/output', Target: '/run', ReadOnly: false },
      { Type: 'bind', Source: '/d/runs/r1/config.json', Target: '/config/config.json', ReadOnly: true },
      { Type: 'bind', Source: '/d/weights', Target: '/weights', ReadOnly: true },
      { Type: 'bind', Source: '/d/cache', Target: '/cache', ReadOnly: true },
      // the dataset's compile cache: writable, shared only with runs on the same images
      { Type: 'bind', Source: '/d/compile-cache/0123456789abcdef', Target: '/compile-cache', ReadOnly: false },
    ]);
    expect(host.Binds).toBeUndefined();
  });

  it('mounts an earlier run’s checkpoints read-only at /init, and resumes with --resume', () => {
    const from = trainContainerSpec({
      ...input,
      resume: true,
      mounts: { ...input.mounts, init: '/d/runs/r0/checkpoints' },
    });
    expect(from.HostConfig!.Mounts).toContainEqual({
      Type: 'bind',
      Source: '/d/runs/r0/checkpoints',
      Target: '/init',
      ReadOnly: true,
    });
    expect(from.Cmd).toContain('--resume');
  });

  it('limits memory to 3/4 of the RAM and processes to 4096', () => {
    expect(host.Memory).toBe(48 * GIB);
    expect(host.PidsLimit).toBe(4096);
  });

  it('sizes shared memory and asks for GPUs; a CPU run asks for none; Windows sets no user', () => {
    expect(host.ShmSize).toBe(8 * GIB);
    expect(host.DeviceRequests).toEqual([{ Driver: '', Count: -1, Capabilities: [['gpu']] }]);
    const chosen = trainContainerSpec({ ...input, settings: { device: 'gpu', gpuIds: ['0', '2'] } });
    expect(chosen.HostConfig!.DeviceRequests).toEqual([{ Driver: '', DeviceIDs: ['0', '2'], Capabilities: [['gpu']] }]);
    const cpu = trainContainerSpec({ ...input, settings: { device: 'cpu', gpuIds: ['0'] }, user: null });
    expect(cpu.HostConfig!.DeviceRequests).toEqual([]);
    expect(cpu).not.toHaveProperty('User');
  });
});

describe('trainCommand', () => {
  const plain = ['python', '-m', 'deit_trainer', ...TRAIN];
  const launch = (n: string) => ['python', '-m', 'deit_trainer', 'launch', '--nproc-per-node', n, ...TRAIN];

  it('runs one plain process on the processor, whatever GPUs are listed, and on one chosen GPU', () => {
    expect(trainCommand(false, { device: 'cpu', gpuIds: [] })).toEqual(plain);
    expect(trainCommand(false, { device: 'cpu', gpuIds: ['0', '1'] })).toEqual(plain);
    expect(trainCommand(true, { device: 'gpu', gpuIds: ['3'] })).toEqual([...plain, '--resume']);
  });

  it('launches one process per chosen GPU through torchrun (`launch`), or `all` when none is chosen', () => {
    expect(trainCommand(false, { device: 'gpu', gpuIds: ['0', '2'] })).toEqual(launch('2'));
    expect(trainCommand(true, { device: 'gpu', gpuIds: ['0', '1', '2', '3'] })).toEqual([...launch('4'), '--resume']);
    expect(trainCommand(false, { device: 'gpu', gpuIds: ['1', '1'] })).toEqual(plain); // one GPU, listed twice
    expect(trainCommand(false, { device: 'gpu', gpuIds: [] })).toEqual(launch('all'));
  });

  it('reaches the container: the chosen GPUs in DeviceRequests, one process each in the command', () => {
    const spec = trainContainerSpec({ ...input, resume: true, settings: { device: 'gpu', gpuIds: ['1', '3'] } });
    expect(spec.HostConfig!.DeviceRequests).toEqual([{ Driver: '', DeviceIDs: ['1', '3'], Capabilities: [['gpu']] }]);
    expect(spec.Cmd).toEqual([...launch('2'), '--resume']);
  });
});

describe('fetchWeightsContainerSpec', () => {
  it('has network and only the weights folder, and is online', () => {
    const spec = fetchWeightsContainerSpec({
      runId: input.runId,
      image: input.image,
      modelId: 'deit_small_patch16_224',
      weightsDir: '/d/weights',
      user: input.user,
      dataDir: '/d',
      namePrefix: 'deit-studio',
      networkMode: 'default',
    });
    expect(spec.Cmd).toEqual([
      'python',
      '-m',
      'deit_trainer',
      'fetch-weights',
      '--model',
      'deit_small_patch16_224',
      '--weights-dir',
      '/weights',
    ]);
    expect(spec.HostConfig!.NetworkMode).toBe('default');
    expect(spec.HostConfig!.Mounts).toEqual([
      { Type: 'bind', Source: '/d/weights', Target: '/weights', ReadOnly: false },
    ]);
    expect(spec.Env).not.toContain('HF_HUB_OFFLINE=1');
    expect(spec.HostConfig!.AutoRemove).toBe(false);
    expect(spec.Labels!['deit-studio.role']).toBe('fetch-weights');
  });
});

describe('limits on the one-off containers', () => {
  const common = { image: input.image, user: input.user, dataDir: '/d', namePrefix: 'deit-studio' };
  const specs = {
    fetch: fetchWeightsContainerSpec({
      ...common,
      runId: input.runId,
      modelId: 'deit_small_patch16_224',
      weightsDir: '/d/weights',
      networkMode: 'default',
      totalMemoryBytes: 64 * GIB,
    }),
    import: importWeightsContainerSpec({
      ...common,
      modelId: 'deit_small_patch16_224',
      file: '/home/ann/w.pth',
      weightsDir: '/d/weights',
      totalMemoryBytes: 64 * GIB,
    }),
    predict: predictContainerSpec({
      ...common,
      runId: input.runId,
      checkpointsDir: '/d/runs/r1/checkpoints',
      imagesDir: '/home/ann/new',
      outputDir: '/d/runs/r1/predictions',
      outputName: 'p.csv',
      totalMemoryBytes: 64 * GIB,
    }),
  };

  it('fetch and import get 1/4 of the RAM, prediction 1/2, all a process limit', () => {
    expect(specs.fetch.HostConfig).toMatchObject({ Memory: 16 * GIB, PidsLimit: 4096 });
    expect(specs.import.HostConfig).toMatchObject({ Memory: 16 * GIB, PidsLimit: 4096 });
    expect(specs.predict.HostConfig).toMatchObject({ Memory: 32 * GIB, PidsLimit: 4096 });
  });

  it('uses this machine’s RAM when not told', () => {
    const spec = fetchWeightsContainerSpec({ ...common, runId: 'r', modelId: 'm', weightsDir: '/w', networkMode: 'none' });
    expect(spec.HostConfig!.Memory).toBe(memoryLimitBytes(os.totalmem(), 0.25));
  });
});

describe('predictContainerSpec', () => {
  it('classifies on the processor, offline, locked down, with the images and the model read-only', () => {
    const spec = predictContainerSpec({
      runId: input.runId,
      image: input.image,
      checkpointsDir: '/d/runs/r1/checkpoints',
      imagesDir: '/home/ann/new photos',
      outputDir: '/d/runs/r1/predictions',
      outputName: '20261129-023105-ab12.csv',
      user: input.user,
      dataDir: '/d',
      namePrefix: 'deit-studio',
    });
    expect(spec.Cmd).toEqual([
      'python',
      '-m',
      'deit_trainer',
      'predict',
      '--checkpoint',
      '/model/best.pt',
      '--input',
      '/images',
      '--output',
      '/out/20261129-023105-ab12.csv',
    ]);
    expect(spec.name).toBe('deit-studio-20261127-2340-deit-small-x7k2-predict-20261129-023105-ab12');
    expect(spec.User).toBe('1000:1000');
    expect(spec.Env).toContain('HF_HUB_OFFLINE=1');
    expect(spec.HostConfig).toMatchObject({
      NetworkMode: 'none',
      SecurityOpt: ['no-new-privileges'],
      CapDrop: ['ALL'],
      AutoRemove: false,
    });
    expect(spec.HostConfig!.DeviceRequests).toBeUndefined();
    expect(spec.HostConfig!.Mounts).toEqual([
      { Type: 'bind', Source: '/d/runs/r1/checkpoints', Target: '/model', ReadOnly: true },
      { Type: 'bind', Source: '/home/ann/new photos', Target: '/images', ReadOnly: true },
      { Type: 'bind', Source: '/d/runs/r1/predictions', Target: '/out', ReadOnly: false },
    ]);
    expect(spec.Labels!['deit-studio.role']).toBe('predict');
  });

  it('on a GPU: exactly the chosen one (DeviceIDs), the run’s precision, and still no network', () => {
    const spec = predictContainerSpec({
      runId: input.runId,
      image: input.image,
      checkpointsDir: '/d/runs/r1/output/checkpoints',
      imagesDir: '/home/ann/new photos',
      outputDir: '/d/runs/r1/output/predictions',
      outputName: '20261129-023105-ab12.csv',
      user: input.user,
      dataDir: '/d',
      namePrefix: 'deit-studio',
      gpu: { id: '2', precision: 'bf16' },
    });
    expect(spec.HostConfig!.DeviceRequests).toEqual([{ Driver: '', DeviceIDs: ['2'], Capabilities: [['gpu']] }]);
    expect(spec.Cmd!.slice(-4)).toEqual(['--device', 'cuda', '--precision', 'bf16']);
    expect(spec.HostConfig).toMatchObject({ NetworkMode: 'none', CapDrop: ['ALL'] });
  });
});
