import type {
  CallInput,
  CallName,
  CallOutput,
  EventName,
  EventPayload,
  GpuSample,
  Result,
  RunDetail,
  StudioApi,
  TrainerEvent,
} from '../../../electron/contract';

/** The size of the benchmark run: a 100-epoch run 200,000 steps in, with 8 hours of 1 Hz GPU samples. */
export const BENCH_SIZE = {
  steps: 200_000,
  stepsPerEpoch: 2_100,
  epochs: 100,
  gpuSeconds: 8 * 3600,
  logLines: 1000,
};

const T0 = 1767225600;
const RUN_ID = 'bench';

/** A repeatable pseudo-random stream (so both modes draw the same data). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const rand = noise(42);
const totalSteps = BENCH_SIZE.stepsPerEpoch * BENCH_SIZE.epochs;
const lrAt = (g: number) => 1e-5 + 0.5 * (5e-4 - 1e-5) * (1 + Math.cos((Math.PI * g) / totalSteps));
const lossAt = (g: number) => 0.35 + 2.0 * Math.exp(-g / 30_000) + 0.12 * rand();
const timeAt = (g: number) => T0 + (g * BENCH_SIZE.gpuSeconds) / BENCH_SIZE.steps;

function stepEvent(g: number): TrainerEvent {
  const epoch = Math.floor((g - 1) / BENCH_SIZE.stepsPerEpoch) + 1;
  return {
    v: 1,
    seq: g,
    time: timeAt(g),
    type: 'step',
    epoch,
    step: ((g - 1) % BENCH_SIZE.stepsPerEpoch) + 1,
    steps_per_epoch: BENCH_SIZE.stepsPerEpoch,
    global_step: g,
    total_steps: totalSteps,
    loss: lossAt(g),
    lr: lrAt(g),
    img_per_s: 2400 + 150 * rand(),
    eta_s: ((totalSteps - g) * BENCH_SIZE.gpuSeconds) / BENCH_SIZE.steps,
  };
}

function gpuSample(t: number): GpuSample {
  return {
    time: T0 + t,
    gpus: [
      {
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        utilizationPct: Math.min(100, 94 + 8 * rand()),
        memoryUsedMiB: 61_000 + 400 * rand(),
        memoryTotalMiB: 81_559,
        temperatureC: 68 + 4 * rand(),
        powerW: 610 + 60 * rand(),
        powerLimitW: 700,
        smClockMHz: 1980,
        memClockMHz: 2619,
      },
    ],
  };
}

function snapshot(): RunDetail {
  const doneEpochs = Math.floor(BENCH_SIZE.steps / BENCH_SIZE.stepsPerEpoch);
  const steps = Array.from({ length: BENCH_SIZE.steps }, (_, i) => {
    const g = i + 1;
    return { globalStep: g, time: timeAt(g), loss: lossAt(g), lr: lrAt(g), imgPerS: 2400 + 150 * rand() };
  });
  const last = stepEvent(BENCH_SIZE.steps);
  return {
    summary: {
      id: RUN_ID,
      name: 'Benchmark: 200,000 steps, 8 h of GPU samples',
      status: 'running',
      modelId: 'deit_small_patch16_224',
      datasetPath: '/data/inaturalist-subset',
      createdAt: new Date(T0 * 1000).toISOString(),
      startedAt: new Date(T0 * 1000).toISOString(),
      endedAt: null,
      durationS: null,
      epochsDone: doneEpochs,
      epochs: BENCH_SIZE.epochs,
      bestValTop1: 0.871,
      progress: {
        epoch: last.type === 'step' ? last.epoch : 1,
        epochs: BENCH_SIZE.epochs,
        step: last.type === 'step' ? last.step : 1,
        stepsPerEpoch: BENCH_SIZE.stepsPerEpoch,
        globalStep: BENCH_SIZE.steps,
        totalSteps,
        imgPerS: 2400,
        etaS: last.type === 'step' ? last.eta_s : null,
      },
      resumable: false,
      failure: null,
    },
    settings: {
      datasetPath: '/data/inaturalist-subset',
      valRatio: 0.2,
      modelId: 'deit_small_patch16_224',
      epochs: BENCH_SIZE.epochs,
      batchSize: 256,
      learningRate: null,
      imgSize: 224,
      augment: 'standard',
      precision: 'auto',
      compile: 'auto',
      freezeBackbone: false,
      earlyStoppingPatience: null,
      seed: 0,
      ema: false,
      layerDecay: 0.75,
      classBalance: 'none',
      pretrained: true,
      device: 'gpu',
      gpuIds: [],
    },
    started: { device: { kind: 'cuda', name: 'NVIDIA H100 80GB HBM3', count: 1 }, precision: 'bf16', batch_size: 256 },
    epochs: Array.from({ length: doneEpochs }, (_, i) => ({
      epoch: i + 1,
      trainLoss: lossAt((i + 1) * BENCH_SIZE.stepsPerEpoch),
      valLoss: lossAt((i + 1) * BENCH_SIZE.stepsPerEpoch) + 0.1,
      valTop1: 0.87 - 0.6 * Math.exp(-i / 12),
      valTop5: 0.97 - 0.4 * Math.exp(-i / 8),
      trainTop1: 0.9 - 0.6 * Math.exp(-i / 12),
      lr: lrAt((i + 1) * BENCH_SIZE.stepsPerEpoch),
      perClassAcc: {},
    })),
    steps,
    gpu: Array.from({ length: BENCH_SIZE.gpuSeconds }, (_, t) => gpuSample(t)),
    skipped: [],
    warnings: [],
    eventCount: BENCH_SIZE.steps + doneEpochs,
  };
}

/**
 * The benchmark's in-memory API: runs.get answers the full-size run (every step point, not
 * downsampled, the worst case a renderer can get), and `startLive` streams 10 trainer events a
 * second plus a GPU sample and a log line each second, as the runs service does.
 */
export function createBenchRun() {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    for (const l of listeners.get(name) ?? []) l(payload);
  };
  const detail = snapshot();
  const api: StudioApi = {
    async call<N extends CallName>(name: N, _input: CallInput<N>): Promise<Result<CallOutput<N>>> {
      if (name === 'runs.get') return { ok: true, value: detail as CallOutput<N> };
      if (name === 'runs.log') {
        const lines = Array.from({ length: BENCH_SIZE.logLines }, (_, i) => `epoch ${i} step ${i * 200} loss 0.5`);
        return { ok: true, value: { lines, total: 250_000 } as CallOutput<N> };
      }
      return { ok: false, error: { kind: 'not_available', message: `${name} is not part of the benchmark.` } };
    },
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };

  let index = detail.eventCount;
  let g = BENCH_SIZE.steps;
  let second = BENCH_SIZE.gpuSeconds;
  let events = 0;
  function startLive(eventsPerSecond: number): () => void {
    const timer = setInterval(() => {
      g += 1;
      emit('run.event', { runId: RUN_ID, index: index++, event: stepEvent(g) });
      events += 1;
      if (events % eventsPerSecond === 0) {
        second += 1;
        emit('run.gpu', { runId: RUN_ID, sample: gpuSample(second) });
        emit('run.log', { runId: RUN_ID, lines: [`step ${g} loss ${lossAt(g).toFixed(4)}`] });
      }
    }, 1000 / eventsPerSecond);
    return () => clearInterval(timer);
  }
  return { api, runId: RUN_ID, startLive, eventsSent: () => events };
}
