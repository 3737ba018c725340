import {
  GpuSample,
  RunDetail,
  RunResults,
  RunSettings,
  RunSummary,
  TrainerEvent,
  type RunSummary as RunSummaryType,
} from '../../../electron/contract';

/** Builders of contract-valid data: each parses its result, so a fixture that drifts fails loudly. */

const T0 = 1767225600; // 2026-01-01T00:00:00Z

export function settings(over: Partial<RunSettings> = {}): RunSettings {
  return RunSettings.parse({
    datasetPath: '/home/ada/datasets/cats-vs-dogs',
    modelId: 'deit_small_patch16_224',
    ...over,
  });
}

export function summary(over: Partial<RunSummaryType> = {}): RunSummaryType {
  return RunSummary.parse({
    id: 'run-1',
    name: 'Cats vs dogs',
    status: 'running',
    modelId: 'deit_small_patch16_224',
    datasetPath: '/home/ada/datasets/cats-vs-dogs',
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: '2026-01-01T00:00:05.000Z',
    endedAt: null,
    durationS: null,
    epochsDone: 1,
    epochs: 10,
    bestValTop1: 0.8,
    progress: {
      epoch: 2,
      epochs: 10,
      step: 3,
      stepsPerEpoch: 10,
      globalStep: 13,
      totalSteps: 100,
      imgPerS: 812.5,
      etaS: 420,
    },
    resumable: false,
    failure: null,
    ...over,
  });
}

/** A step event as the trainer writes it; global step `g` with 10 steps per epoch. */
export function stepEvent(g: number, loss = 2 / (1 + g / 10)): TrainerEvent {
  return TrainerEvent.parse({
    v: 1,
    seq: g,
    time: T0 + g,
    type: 'step',
    epoch: Math.floor((g - 1) / 10) + 1,
    step: ((g - 1) % 10) + 1,
    steps_per_epoch: 10,
    global_step: g,
    total_steps: 100,
    loss,
    lr: 1e-4,
    img_per_s: 800 + g,
    eta_s: 100 - g,
  });
}

export function epochEvent(epoch: number, top1: number): TrainerEvent {
  return TrainerEvent.parse({
    v: 1,
    seq: 1000 + epoch,
    time: T0 + epoch * 10,
    type: 'epoch',
    epoch,
    epochs: 10,
    train_loss: 1 / epoch,
    train_top1: top1 - 0.05,
    val_loss: 1.2 / epoch,
    val_top1: top1,
    val_top5: Math.min(1, top1 + 0.1),
    per_class_acc: { cat: top1, dog: top1 },
    lr: 1e-4,
    duration_s: 10,
    img_per_s: 800,
    is_best: true,
  });
}

export function warningEvent(code: string, message: string): TrainerEvent {
  return TrainerEvent.parse({ v: 1, seq: 0, time: T0, type: 'warning', code, message });
}

export function skippedEvent(files: { path: string; reason: string }[]): TrainerEvent {
  return TrainerEvent.parse({ v: 1, seq: 0, time: T0, type: 'files_skipped', files });
}

export function gpuSample(t: number, util = 90): GpuSample {
  return GpuSample.parse({
    time: T0 + t,
    gpus: [
      {
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        utilizationPct: util,
        memoryUsedMiB: 40960,
        memoryTotalMiB: 81559,
        temperatureC: 61,
        powerW: 512,
        powerLimitW: 700,
        smClockMHz: 1980,
        memClockMHz: 2619,
      },
    ],
  });
}

/** A run's snapshot holding steps 1…`steps`, epochs 1…`epochs` and `eventCount` events. */
export function detail(
  opts: { steps?: number; epochs?: number; eventCount?: number; summary?: Partial<RunSummaryType> } & Partial<
    Omit<RunDetail, 'summary' | 'steps' | 'epochs'>
  > = {},
): RunDetail {
  const { steps = 13, epochs = 1, eventCount = steps + epochs, summary: summaryOver, ...rest } = opts;
  return RunDetail.parse({
    summary: summary(summaryOver),
    settings: settings(),
    started: {
      device: { kind: 'cuda', name: 'NVIDIA H100 80GB HBM3', count: 1, memory_bytes: 85e9 },
      precision: 'bf16',
    },
    epochs: Array.from({ length: epochs }, (_, i) => ({
      epoch: i + 1,
      trainLoss: 1 / (i + 1),
      valLoss: 1.2 / (i + 1),
      valTop1: 0.8,
      valTop5: 0.9,
      lr: 1e-4,
      perClassAcc: { cat: 0.8, dog: 0.8 },
    })),
    steps: Array.from({ length: steps }, (_, i) => ({
      globalStep: i + 1,
      time: T0 + i + 1,
      loss: 2 / (1 + (i + 1) / 10),
      lr: 1e-4,
      imgPerS: 800 + i + 1,
    })),
    gpu: [gpuSample(1), gpuSample(2)],
    skipped: [],
    warnings: [],
    eventCount,
    ...rest,
  });
}

export function results(over: Partial<RunResults> = {}): RunResults {
  return RunResults.parse({
    folder: '/home/ada/.local/share/deit-studio/runs/run-1',
    valTop1: 0.9125,
    valTop5: 0.995,
    perClass: [
      { name: 'cat', precision: 0.95, recall: 0.9, f1: 0.924, support: 200 },
      { name: 'dog', precision: 0.88, recall: 0.93, f1: 0.904, support: 200 },
      { name: 'fox', precision: 0.7, recall: 0.65, f1: 0.674, support: 40 },
    ],
    confusion: {
      labels: ['cat', 'dog', 'fox'],
      matrix: [
        [180, 15, 5],
        [10, 186, 4],
        [6, 8, 26],
      ],
    },
    misclassified: [
      { path: 'dog/IMG_0042.jpg', trueLabel: 'dog', predictedLabel: 'cat', confidence: 0.97 },
      { path: 'fox/fox_7.png', trueLabel: 'fox', predictedLabel: 'dog', confidence: 0.91 },
    ],
    exports: [
      { format: 'torchscript', path: '/runs/run-1/export/model.torchscript.pt', parityMaxAbsDiff: 2e-7 },
      { format: 'onnx', path: '/runs/run-1/export/model.onnx', parityMaxAbsDiff: null },
    ],
    reportMarkdown: '# Methods\n\nTrained **DeiT-S** with `bf16`.\n\n- seed 0\n- split 80/20\n',
    ...over,
  });
}
