import {
  DatasetScan,
  EnvironmentReport,
  ImageProgress,
  ImageStatus,
  ModelCard,
  RunSummary,
  SystemSummary,
  type EnvironmentCheck,
} from '../../../electron/contract';

// Every fixture is parsed through the contract's schema: a contract change that these no longer
// satisfy fails here, not silently in a component.

/** A workstation with one H100. */
export const summary = SystemSummary.parse({
  os: { platform: 'linux', distro: 'Ubuntu', release: '24.04', arch: 'x64', hostname: 'lab-ws' },
  cpu: { brand: 'AMD Ryzen 9 7950X', cores: 32, physicalCores: 16 },
  memory: { totalBytes: 128 * 2 ** 30, availableBytes: 100 * 2 ** 30 },
  disk: { path: '/home/ana/.deit-studio', freeBytes: 800 * 2 ** 30, totalBytes: 2000 * 2 ** 30 },
  gpus: [{ name: 'NVIDIA H100 80GB HBM3', vendor: 'NVIDIA', memoryBytes: 80 * 2 ** 30, driverVersion: '550.90.07' }],
});

const ok = (id: EnvironmentCheck['id'], title: string, message: string): EnvironmentCheck => ({
  id,
  title,
  status: 'ok',
  message,
});

/** Everything works. */
export const reportReady = EnvironmentReport.parse({
  checkedAt: '2025-05-01T10:00:00Z',
  gpus: [{ index: 0, name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, uuid: 'GPU-5e1f', driverVersion: '550.90.07' }],
  gpuReady: true,
  cpuFallback: true,
  checks: [
    ok('driver', 'NVIDIA driver', 'Driver 550.90.07 supports CUDA 12.4.'),
    ok('docker', 'Docker', 'Docker Engine 27.1 answers.'),
    ok('gpu-container', 'GPU access from Docker', 'A test container saw the GPU.'),
    ok('disk', 'Disk space', '800 GiB free.'),
    { id: 'memory', title: 'Memory', status: 'warning', message: 'Only 16 GiB free; large datasets load slower.' },
  ],
});

/** Docker works, the NVIDIA Container Toolkit is missing: CPU mode is possible. */
export const reportNoGpu = EnvironmentReport.parse({
  checkedAt: '2025-05-01T10:00:00Z',
  gpuReady: false,
  cpuFallback: true,
  checks: [
    ok('driver', 'NVIDIA driver', 'Driver 550.90.07 supports CUDA 12.4.'),
    ok('docker', 'Docker', 'Docker Engine 27.1 answers.'),
    {
      id: 'gpu-container',
      title: 'GPU access from Docker',
      status: 'blocking',
      message: 'Docker cannot give containers the GPU: the NVIDIA Container Toolkit is missing.',
      fix: {
        text: 'Install the NVIDIA Container Toolkit, then restart Docker.',
        command: 'sudo apt-get install -y nvidia-container-toolkit && sudo systemctl restart docker',
      },
      detail: 'could not select device driver "" with capabilities: [[gpu]]',
    },
    ok('disk', 'Disk space', '800 GiB free.'),
    ok('memory', 'Memory', '100 GiB free.'),
  ],
});

/** No Docker at all: nothing can train. */
export const reportNoDocker = EnvironmentReport.parse({
  checkedAt: '2025-05-01T10:00:00Z',
  gpuReady: false,
  cpuFallback: false,
  checks: [
    ok('driver', 'NVIDIA driver', 'Driver 550.90.07 supports CUDA 12.4.'),
    {
      id: 'docker',
      title: 'Docker',
      status: 'blocking',
      message: 'No Docker Engine answers on this machine.',
      fix: { text: 'Install Docker Engine and start it.', command: 'sudo systemctl start docker' },
    },
    { id: 'gpu-container', title: 'GPU access from Docker', status: 'skipped', message: 'Needs Docker first.' },
    ok('disk', 'Disk space', '800 GiB free.'),
    ok('memory', 'Memory', '100 GiB free.'),
  ],
});

/** The image is there. */
export const imageReady = ImageStatus.parse({
  tag: 'deit-studio/trainer:3f2a1c',
  baseImage: 'pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime',
  basePresent: true,
  state: 'ready',
  downloadBytes: 0,
  needsConsent: false,
});

/** The image is missing and its base is a big download. */
export const imageMissing = ImageStatus.parse({
  ...imageReady,
  basePresent: false,
  state: 'missing',
  downloadBytes: 3.4e9,
  needsConsent: true,
});

/** A pull in progress. */
export const imagePulling = ImageStatus.parse({ ...imageMissing, state: 'pulling' });

/** One progress event of the pull. */
export const pullProgress = ImageProgress.parse({
  phase: 'pulling',
  layersDone: 3,
  layersTotal: 12,
  bytesDone: 1.7e9,
  bytesTotal: 3.4e9,
  speedBytesPerS: 25e6,
  etaS: 70,
  message: 'Downloading layer 4 of 12',
});

/** A clean dataset with an automatic split. */
export const scanClean = DatasetScan.parse({
  root: '/data/birds',
  layout: 'class-folders',
  split: { kind: 'auto', valRatio: 0.2, trainFolder: null, valFolder: null },
  classes: [
    { name: 'finch', train: 80, val: 20, samples: ['finch/001.jpg', 'finch/002.jpg'] },
    { name: 'robin', train: 72, val: 18, samples: ['robin/001.jpg'] },
    { name: 'wren', train: 64, val: 16, samples: ['wren/001.jpg'] },
  ],
  totalImages: 270,
  skipped: [],
  skippedTotal: 0,
  skippedByCode: [],
  warnings: [],
  canTrain: true,
  durationMs: 420,
});

/** A dataset with things to look at. */
export const scanWithWarnings = DatasetScan.parse({
  ...scanClean,
  root: '/data/messy',
  classes: [...scanClean.classes, { name: 'owl', train: 3, val: 1, samples: ['owl/a.png'] }],
  totalImages: 274,
  skipped: [
    { path: '.DS_Store', code: 'hidden', reason: 'A hidden or system file.' },
    { path: 'finch/broken.jpg', code: 'corrupt', reason: 'The file is not a valid JPEG image.' },
    { path: 'notes.txt', code: 'not_image', reason: 'Not an image file (.txt).' },
  ],
  skippedTotal: 3,
  skippedByCode: [
    { code: 'hidden', count: 1 },
    { code: 'corrupt', count: 1 },
    { code: 'not_image', count: 1 },
  ],
  warnings: [
    {
      code: 'tiny_class',
      severity: 'warning',
      count: 1,
      message: 'Classes with fewer than 10 images: “owl”.',
      fix: 'Add images to them (50 or more per class works well), or merge or remove them.',
      examples: ['owl'],
    },
    {
      code: 'skipped_files',
      severity: 'warning',
      count: 3,
      message: '3 files are left out: 1 hidden or system file, 1 damaged, 1 not an image.',
      fix: 'Left-out files are not used for training.',
      examples: ['finch/broken.jpg', 'notes.txt'],
    },
  ],
});

/** A folder with only one class: cannot be trained on. */
export const scanOneClass = DatasetScan.parse({
  ...scanClean,
  root: '/data/one',
  classes: [scanClean.classes[0]],
  totalImages: 100,
  canTrain: false,
  warnings: [
    {
      code: 'one_class',
      severity: 'blocker',
      count: 1,
      message: 'Only one class has training images (“finch”). A classifier needs at least two.',
      fix: 'Add a second class folder with images.',
      examples: ['finch'],
    },
  ],
});

/** The model list as the core describes it on an H100. */
export const models = ModelCard.array().parse([
  {
    id: 'deit_tiny_patch16_224',
    title: 'DeiT-Ti',
    family: 'DeiT',
    paramsM: 5.7,
    imgSize: 224,
    description: 'Smallest and fastest.',
    expectedImgPerS: 15500,
    memoryGiBAt64: 2.5,
  },
  {
    id: 'deit_small_patch16_224',
    title: 'DeiT-S',
    family: 'DeiT',
    paramsM: 22.1,
    imgSize: 224,
    description: 'A good default.',
    expectedImgPerS: 7750,
    memoryGiBAt64: 4.5,
  },
  {
    id: 'deit_base_patch16_384',
    title: 'DeiT-B 384',
    family: 'DeiT',
    paramsM: 86.9,
    imgSize: 384,
    description: 'For fine detail.',
    expectedImgPerS: null,
    memoryGiBAt64: 26,
  },
]);

/** What runs.create answers for a new run. */
export function createdRun(id = 'run-20250501-1'): RunSummary {
  return RunSummary.parse({
    id,
    name: 'birds',
    status: 'preparing',
    modelId: 'deit_small_patch16_224',
    datasetPath: '/data/birds',
    createdAt: '2025-05-01T10:00:00Z',
    startedAt: null,
    endedAt: null,
    durationS: null,
    epochsDone: 0,
    epochs: 10,
    bestValTop1: null,
    progress: null,
    resumable: false,
    failure: null,
  });
}
