import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { CallInput, CallName, CallOutput, ComparedRun, Result, StudioApi } from '@contract';
import { downsampleLttb } from '@contract';
import { setApi } from '../../../renderer/src/api/api';
import { CompareView } from '../../../renderer/src/runs/compare/CompareView';
import '../../../renderer/src/styles.css';

/**
 * The comparison benchmark page: the real CompareView fed 10 runs of 100 epochs (200 steps an epoch,
 * 20,000 steps a run) by an in-memory runs.compare. `#mode=shipped`: the steps downsampled with the
 * core's LTTB to 400 a run (what runs.compare sends); `#mode=naive`: every step sent and drawn.
 * The Node side (dashboard-compare.bench.ts) reads `window.bench`.
 */
interface BenchWindow {
  bench: {
    loadMs: number | null;
    /** Clicks a control and resolves with the ms until the frame after it was painted. */
    interact(kind: 'baseline' | 'axis', index: number): Promise<number>;
  };
}

const RUNS = 10;
const EPOCHS = 100;
const STEPS_PER_EPOCH = 200;
const MAX_POINTS = 400; // runs.compare's default
const mode = new URLSearchParams(location.hash.slice(1)).get('mode') ?? 'shipped';

/** A plausible run: loss falling and accuracy rising at its own pace, with noise. */
function makeRun(r: number): ComparedRun {
  let seed = 1234 + r;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.05;
  const rate = 0.03 + r * 0.004;
  const steps = Array.from({ length: EPOCHS * STEPS_PER_EPOCH }, (_, i) => ({
    globalStep: i + 1,
    elapsedS: (i + 1) * (0.5 + r * 0.05),
    loss: 2.3 * Math.exp((-rate * i) / STEPS_PER_EPOCH) + 0.1 + noise(),
  }));
  const epochs = Array.from({ length: EPOCHS }, (_, e) => ({
    epoch: e + 1,
    elapsedS: steps[(e + 1) * STEPS_PER_EPOCH - 1]!.elapsedS,
    trainLoss: 2.3 * Math.exp(-rate * e) + 0.1,
    valLoss: 2.3 * Math.exp(-rate * e) + 0.2 + noise(),
    trainTop1: Math.min(1, 1 - 0.9 * Math.exp(-rate * e)),
    valTop1: Math.min(1, 1 - 0.95 * Math.exp(-rate * e) + noise()),
  }));
  const top1 = epochs[EPOCHS - 1]!.valTop1;
  const classes = Array.from({ length: 50 }, (_, c) => ({
    name: `class_${c}`,
    precision: top1,
    recall: top1,
    f1: Math.max(0, Math.min(1, top1 + noise())),
    support: 40,
  }));
  return {
    id: `run-${r}`,
    name: `Run ${r + 1}`,
    status: 'finished',
    createdAt: '2026-01-01T00:00:00.000Z',
    durationS: steps[steps.length - 1]!.elapsedS,
    settings: {
      datasetPath: '/data/flowers',
      valRatio: 0.2,
      modelId: 'deit_small_patch16_224',
      epochs: EPOCHS,
      batchSize: 'auto',
      learningRate: r % 2 ? 0.0005 * (r + 1) : null,
      imgSize: 224,
      augment: 'standard',
      precision: 'auto',
      compile: 'auto',
      freezeBackbone: false,
      earlyStoppingPatience: null,
      seed: r,
      ema: false,
      layerDecay: 0.75,
      classBalance: 'none',
      device: 'gpu',
      gpuIds: [],
      pretrained: true,
    },
    data: {
      datasetPath: '/data/flowers',
      valRatio: 0.2,
      splitSeed: 0,
      splitFrom: null,
      layout: 'class-folders',
      trainCount: 8000,
      valCount: 2000,
      testCount: 0,
    },
    epochs,
    steps: mode === 'naive' ? steps : downsampleLttb(steps, MAX_POINTS, { x: (p) => p.globalStep, y: (p) => p.loss }),
    headline: {
      split: 'validation',
      count: 2000,
      top1,
      top1Interval: [top1 - 0.02, Math.min(1, top1 + 0.02)],
      top5: null,
      balancedAccuracy: top1 - 0.01,
      macroF1: top1 - 0.015,
      classesWithoutImages: [],
    },
    bestEpoch: EPOCHS,
    perClass: classes,
  };
}

const runs = Array.from({ length: RUNS }, (_, r) => makeRun(r));
const api: StudioApi = {
  async call<N extends CallName>(name: N, _input: CallInput<N>): Promise<Result<CallOutput<N>>> {
    if (name === 'runs.compare') return { ok: true, value: { runs } as CallOutput<N> };
    return { ok: false, error: { kind: 'not_available', message: `${name} is not part of the benchmark.` } };
  },
  on: () => () => {},
};
setApi(api);

/** Resolves after the next frame has been painted (a rAF, then a task after it). */
const afterPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

const state: BenchWindow['bench'] = {
  loadMs: null,
  async interact(kind, index) {
    const target =
      kind === 'baseline'
        ? document.querySelectorAll<HTMLInputElement>('.compare-baseline input')[index % RUNS]!
        : document.querySelectorAll<HTMLInputElement>('.compare-x-mode input')[index % 2]!;
    await afterPaint();
    const t0 = performance.now();
    flushSync(() => target.click());
    await afterPaint();
    return performance.now() - t0;
  },
};
(window as unknown as BenchWindow).bench = state;

const started = performance.now();
createRoot(document.getElementById('root')!).render(
  <main id="main" className="content">
    <CompareView ids={runs.map((r) => r.id)} />
  </main>,
);
// Loaded = every run's three lines drawn and painted.
const waitDrawn = () => {
  if (document.querySelectorAll('path[data-run]').length >= RUNS * 3) {
    void afterPaint().then(() => (state.loadMs = performance.now() - started));
  } else requestAnimationFrame(waitDrawn);
};
requestAnimationFrame(waitDrawn);
