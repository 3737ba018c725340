import type Dockerode from 'dockerode';
import os from 'node:os';
import type { RunSettings } from '../../contract';
import { gpuDeviceRequests } from './gpu-device-request';
import { CONTAINER_CA_FILE, type ContainerNetwork } from '../network/container-network';
import { CONTAINER_PATHS } from '../runs/folder/trainer-config';

/** Labels that let the app find its containers again after a restart. */
export const LABELS = {
  run: 'deit-studio.run',
  role: 'deit-studio.role',
  attempt: 'deit-studio.attempt',
  /** The app data folder that owns the container: two data folders (or test suites) never mix. */
  dataDir: 'deit-studio.data-dir',
} as const;

const GIB = 1024 ** 3;

/** The user a container runs as; null where Docker Desktop maps users itself (Windows). */
export type ContainerUser = { uid: number; gid: number } | null;

/**
 * Where a mount comes from: a host path (a bind mount, the local engine) or a named Docker volume on
 * the engine (a remote engine, which cannot see this computer's folders; runs/place/volume-place.ts).
 */
export type MountSource = string | { volume: string };

/** Host folders (or engine volumes) mounted into a training container. */
export interface RunMounts {
  dataset: MountSource;
  /** What the container may write: the run's output/ folder (a run from before it: the run folder), or its volume. */
  run: MountSource;
  /** The app's config.json in the run folder, mounted read-only on its own; null: put into the container before it starts. */
  config: string | null;
  weights: MountSource;
  cache: MountSource;
  /** An earlier run's checkpoints/ folder when starting from it. */
  init: string | null;
  /** torch.compile's kernel cache of the runs on this dataset, writable (runs/place/compile-cache.ts); null: per run. */
  compileCache: MountSource | null;
}

/** Everything a training container's spec depends on. */
export interface TrainContainerInput {
  runId: string;
  attempt: number;
  image: string;
  /** Tag and digest recorded by the trainer in run_started and report.md (default: `image`). */
  imageLabel?: string;
  settings: Pick<RunSettings, 'device' | 'gpuIds'>;
  mounts: RunMounts;
  user: ContainerUser;
  /** The machine's RAM, to size /dev/shm for data-loader workers. */
  totalMemoryBytes: number;
  resume: boolean;
  dataDir: string;
  /** Container names start with this (tests use their own). */
  namePrefix: string;
  /** Extra `NAME=value` environment entries. */
  extraEnv?: string[];
}

/** Keeps Docker's copy of a container's output small; the full log is train.log in the run folder. */
export const LOG_CONFIG = { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } };

/** At most this many processes and threads per container: a runaway fork or thread loop stops there. */
export const PIDS_LIMIT = 4096;

/**
 * Share of the machine's RAM each kind of container may use. Without a limit a folder of huge images
 * could push the whole machine into the kernel's OOM killer; with one only that container is stopped,
 * and the run fails with "ran out of the memory DeiT Studio allows it" (run-outcome.ts).
 */
export const MEMORY_SHARE = { train: 0.75, predict: 0.5, tool: 0.25 } as const;

/** A share of the RAM in bytes, at least 2 GiB (PyTorch alone needs about 1) but never above the RAM. */
export function memoryLimitBytes(totalMemoryBytes: number, share: number): number {
  return Math.min(totalMemoryBytes, Math.max(2 * GIB, Math.floor(totalMemoryBytes * share)));
}

/**
 * What every container of the app has: no new privileges, no capabilities, an init process, a bounded
 * log, a process limit, and it stays after it exits (the app removes it once it has read its exit
 * code and output).
 */
export const LOCKED_DOWN = {
  SecurityOpt: ['no-new-privileges'],
  CapDrop: ['ALL'],
  Init: true,
  LogConfig: LOG_CONFIG,
  AutoRemove: false,
  RestartPolicy: { Name: 'no' },
  PidsLimit: PIDS_LIMIT,
} satisfies Dockerode.HostConfig;

/**
 * The trainer's command line (docs/trainer-protocol.md). One process on the processor or on one chosen
 * GPU; else `launch`, PyTorch's torchrun with one training process per GPU: the chosen ones, or with
 * none chosen every GPU the container is given (`all`: the trainer counts them; with one it runs plain).
 */
export function trainCommand(resume: boolean, settings: Pick<RunSettings, 'device' | 'gpuIds'>): string[] {
  const train = ['train', '--config', CONTAINER_PATHS.config, ...(resume ? ['--resume'] : [])];
  const gpus = settings.device === 'cpu' ? 1 : new Set(settings.gpuIds).size || 'all';
  if (gpus === 1) return ['python', '-m', 'deit_trainer', ...train];
  return ['python', '-m', 'deit_trainer', 'launch', '--nproc-per-node', String(gpus), ...train];
}

/** Shared memory for DataLoader workers: half the RAM, at most 8 GiB, at least Docker's 64 MiB. */
export function shmSizeBytes(totalMemoryBytes: number): number {
  return Math.max(64 * 1024 ** 2, Math.min(8 * GIB, Math.floor(totalMemoryBytes / 2)));
}

/**
 * The create options of a training container: no network, no new privileges, no capabilities, the
 * user's uid:gid, the dataset read-only, labelled, a bounded log, and never auto-removed (the app
 * removes it after reading its exit code and logs). `Mounts` rather than `Binds`: a missing host
 * folder is an error instead of a folder created by root, and paths may contain ':'.
 */
export function trainContainerSpec(input: TrainContainerInput): Dockerode.ContainerCreateOptions {
  const { mounts } = input;
  const binds: Dockerode.MountConfig = [
    bind(mounts.dataset, CONTAINER_PATHS.data, true),
    bind(mounts.run, CONTAINER_PATHS.run, false),
    ...(mounts.config !== null ? [bind(mounts.config, CONTAINER_PATHS.config, true)] : []),
    // Read-only: what one run could write there, the next would trust. Only the weights-fetch and
    // import containers write /weights; the trainer keeps decoded images and compiled kernels in its
    // own run output (docs/engine-runs.md, "What each container can touch").
    bind(mounts.weights, CONTAINER_PATHS.weights, true),
    bind(mounts.cache, CONTAINER_PATHS.cache, true),
  ];
  if (mounts.init) binds.push(bind(mounts.init, CONTAINER_PATHS.init, true));
  // Writable, but shared only by runs that read the same images (a compile cache is code).
  if (mounts.compileCache) binds.push(bind(mounts.compileCache, CONTAINER_PATHS.compileCache, false));
  return {
    name: `${input.namePrefix}-${input.runId}-${input.attempt}`,
    Image: input.image,
    Cmd: trainCommand(input.resume, input.settings),
    Env: [...trainerEnv(true, input.imageLabel ?? input.image), ...(input.extraEnv ?? [])],
    ...(input.user ? { User: `${input.user.uid}:${input.user.gid}` } : {}),
    WorkingDir: CONTAINER_PATHS.run,
    Labels: {
      [LABELS.run]: input.runId,
      [LABELS.role]: 'train',
      [LABELS.attempt]: String(input.attempt),
      [LABELS.dataDir]: input.dataDir,
    },
    Tty: false,
    AttachStdin: false,
    OpenStdin: false,
    StopSignal: 'SIGTERM',
    HostConfig: {
      Mounts: binds,
      NetworkMode: 'none',
      ...LOCKED_DOWN,
      ShmSize: shmSizeBytes(input.totalMemoryBytes),
      Memory: memoryLimitBytes(input.totalMemoryBytes, MEMORY_SHARE.train),
      // `--gpus all` or the chosen GPUs; none for a CPU run.
      DeviceRequests: input.settings.device === 'cpu' ? [] : gpuDeviceRequests(input.settings.gpuIds),
    },
  };
}

/** Everything the weights-fetch container depends on. */
export interface FetchWeightsInput {
  runId: string;
  image: string;
  modelId: string;
  weightsDir: MountSource;
  user: ContainerUser;
  dataDir: string;
  namePrefix: string;
  /** The machine's RAM, for the memory limit (default: this machine's). */
  totalMemoryBytes?: number;
  /** The network it downloads through: 'default' (Docker's bridge) on a user's machine. */
  networkMode: string;
  /** Proxy, mirror and extra certificates (electron/core/network); none when absent. */
  network?: ContainerNetwork;
}

/** The create options of the weights-fetch step: like training, but with network and only /weights. */
export function fetchWeightsContainerSpec(input: FetchWeightsInput): Dockerode.ContainerCreateOptions {
  return {
    name: `${input.namePrefix}-${input.runId}-weights`,
    Image: input.image,
    Cmd: [
      'python',
      '-m',
      'deit_trainer',
      'fetch-weights',
      '--model',
      input.modelId,
      '--weights-dir',
      CONTAINER_PATHS.weights,
    ],
    Env: [...trainerEnv(false, input.image), ...(input.network?.env ?? [])],
    ...(input.user ? { User: `${input.user.uid}:${input.user.gid}` } : {}),
    WorkingDir: '/tmp',
    Labels: {
      [LABELS.run]: input.runId,
      [LABELS.role]: 'fetch-weights',
      [LABELS.dataDir]: input.dataDir,
    },
    Tty: false,
    HostConfig: {
      Mounts: [
        bind(input.weightsDir, CONTAINER_PATHS.weights, false),
        ...(input.network?.caFile ? [bind(input.network.caFile, CONTAINER_CA_FILE, true)] : []),
      ],
      NetworkMode: input.networkMode,
      ...LOCKED_DOWN,
      Memory: memoryLimitBytes(input.totalMemoryBytes ?? os.totalmem(), MEMORY_SHARE.tool),
    },
  };
}

/** Everything the container that checks and stores an imported weights file depends on. */
export interface ImportWeightsInput {
  image: string;
  modelId: string;
  /** The user's file (mounted read-only; never written). */
  file: string;
  weightsDir: string;
  user: ContainerUser;
  dataDir: string;
  namePrefix: string;
  /** The machine's RAM, for the memory limit (default: this machine's). */
  totalMemoryBytes?: number;
}

/** Where the imported file appears inside its container (the extension tells the trainer the format). */
export function importedFilePath(file: string): string {
  const ext = /\.[A-Za-z0-9]{1,16}$/.exec(file)?.[0]?.toLowerCase() ?? '';
  return `/in/weights${ext}`;
}

/**
 * The create options of `deit_trainer import-weights`: locked down like training (no network, no new
 * privileges, no capabilities, the user's uid:gid), the user's file read-only, only /weights writable.
 */
export function importWeightsContainerSpec(input: ImportWeightsInput): Dockerode.ContainerCreateOptions {
  const inside = importedFilePath(input.file);
  const name = input.file.split(/[\\/]/).pop() ?? input.file;
  return {
    name: `${input.namePrefix}-import-${input.modelId}-${Math.random().toString(36).slice(2, 8)}`,
    Image: input.image,
    Cmd: [
      'python',
      '-m',
      'deit_trainer',
      'import-weights',
      '--model',
      input.modelId,
      '--file',
      inside,
      '--weights-dir',
      CONTAINER_PATHS.weights,
      '--name',
      name,
    ],
    Env: trainerEnv(true, input.image),
    ...(input.user ? { User: `${input.user.uid}:${input.user.gid}` } : {}),
    WorkingDir: '/tmp',
    Labels: { [LABELS.role]: 'import-weights', [LABELS.dataDir]: input.dataDir },
    Tty: false,
    HostConfig: {
      Mounts: [bind(input.file, inside, true), bind(input.weightsDir, CONTAINER_PATHS.weights, false)],
      NetworkMode: 'none',
      ...LOCKED_DOWN,
      Memory: memoryLimitBytes(input.totalMemoryBytes ?? os.totalmem(), MEMORY_SHARE.tool),
    },
  };
}

/** Everything a container that classifies a folder of new images depends on. */
export interface PredictInput {
  runId: string;
  image: string;
  /** The run's checkpoints/ folder (read-only; best.pt is used). */
  checkpointsDir: string;
  /** The folder of images to classify (read-only). */
  imagesDir: string;
  /** Where the CSV goes (the run's output/predictions/, the only writable mount) and its file name. */
  outputDir: string;
  outputName: string;
  user: ContainerUser;
  dataDir: string;
  namePrefix: string;
  /** The machine's RAM, for the memory limit (default: this machine's). */
  totalMemoryBytes?: number;
  /** One GPU to classify on, and the autocast precision there (predict-device.ts); absent: the processor. */
  gpu?: { id: string; precision: 'bf16' | 'fp16' | 'fp32' };
}

/** Inside a prediction container. */
export const PREDICT_PATHS = { model: '/model', images: '/images', out: '/out' } as const;

/**
 * The create options of a prediction container: locked down like training (no network, no new
 * privileges, no capabilities, the user's uid:gid), the images and the model read-only, and on the
 * processor, or on the one GPU `gpu` names (run-predict.ts decides: an idle GPU when the machine has one).
 */
export function predictContainerSpec(input: PredictInput): Dockerode.ContainerCreateOptions {
  return {
    name: `${input.namePrefix}-${input.runId}-predict-${input.outputName.replace(/\.csv$/, '')}`,
    Image: input.image,
    Cmd: [
      'python',
      '-m',
      'deit_trainer',
      'predict',
      '--checkpoint',
      `${PREDICT_PATHS.model}/best.pt`,
      '--input',
      PREDICT_PATHS.images,
      '--output',
      `${PREDICT_PATHS.out}/${input.outputName}`,
      ...(input.gpu ? ['--device', 'cuda', '--precision', input.gpu.precision] : []), // default: the processor
    ],
    Env: trainerEnv(true, input.image),
    ...(input.user ? { User: `${input.user.uid}:${input.user.gid}` } : {}),
    WorkingDir: '/tmp',
    Labels: {
      [LABELS.run]: input.runId,
      [LABELS.role]: 'predict',
      [LABELS.dataDir]: input.dataDir,
    },
    Tty: false,
    HostConfig: {
      Mounts: [
        bind(input.checkpointsDir, PREDICT_PATHS.model, true),
        bind(input.imagesDir, PREDICT_PATHS.images, true),
        bind(input.outputDir, PREDICT_PATHS.out, false),
      ],
      NetworkMode: 'none',
      ...LOCKED_DOWN,
      Memory: memoryLimitBytes(input.totalMemoryBytes ?? os.totalmem(), MEMORY_SHARE.predict),
      // Exactly the one GPU chosen (by DeviceIDs, never Count), no network still.
      ...(input.gpu ? { DeviceRequests: gpuDeviceRequests([input.gpu.id]) } : {}),
    },
  };
}

function trainerEnv(offline: boolean, image: string): string[] {
  // The image sets HOME, XDG_CACHE_HOME and the compile caches for any uid (docs/trainer-protocol.md).
  return [
    `HF_HOME=${CONTAINER_PATHS.weights}`,
    ...(offline ? ['HF_HUB_OFFLINE=1'] : []),
    'PYTHONUNBUFFERED=1',
    `DEIT_STUDIO_IMAGE=${image}`,
  ];
}

/** A bind mount of a host path, or a named volume of the engine. */
function bind(source: MountSource, target: string, readOnly: boolean): Dockerode.MountSettings {
  if (typeof source !== 'string') return { Type: 'volume', Source: source.volume, Target: target, ReadOnly: readOnly };
  return { Type: 'bind', Source: source, Target: target, ReadOnly: readOnly };
}
