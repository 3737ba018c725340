import { RunDetail, TrainerEvent, type TrainerEventOf } from '../../../electron/contract';
import { parseEventLine } from '../../../electron/core/runs/ingest/event-line';
import { applyLine, emptyRunMetrics, type RunMetrics } from '../../../electron/core/runs/ingest/run-metrics';
import type { LiveSeries } from '../../../renderer/src/charts/series';
import { RunLiveStore } from '../../../renderer/src/runs/run-live-store';
import { fixtureLines } from '../../helpers/runs-fixtures';
import { detail } from './run-fixtures';

// A real event stream (docker/protocol/fixtures/killed-resumed.jsonl, recorded by
// tests/trainer/test_kill_resume.py): SIGKILL mid-epoch 2 after the epoch-1 checkpoint, then --resume in
// the same metrics.jsonl, so the steps after the checkpoint are written twice.
const LINES = fixtureLines('killed-resumed.jsonl');
const EVENTS = LINES.map((line) => TrainerEvent.parse(JSON.parse(line)));
const STARTS = EVENTS.filter((e): e is TrainerEventOf<'run_started'> => e.type === 'run_started');
const RESUMED = STARTS[1]!;

function points(s: LiveSeries): [number, number][] {
  return Array.from({ length: s.length }, (_, i) => {
    const p = s.at(i);
    return [p.x, p.y];
  });
}

function xs(s: LiveSeries): number[] {
  return points(s).map(([x]) => x);
}

/** What a reload at this moment shows: runs.get's snapshot of the lines so far, loaded into a new store. */
function reloaded(metrics: RunMetrics): RunLiveStore {
  const base = detail({ steps: 0, epochs: 0, eventCount: metrics.eventCount });
  const store = new RunLiveStore();
  store.load(RunDetail.parse({ ...base, steps: metrics.steps, epochs: metrics.epochs }));
  store.flushNow();
  return store;
}

function expectSameSeries(live: RunLiveStore, other: RunLiveStore): void {
  const a = live.charts;
  const b = other.charts;
  for (const key of ['stepLoss', 'stepLr', 'stepImgPerS', 'epochTrainLoss', 'epochValLoss', 'epochTop1'] as const) {
    expect(points(a[key]), key).toEqual(points(b[key]));
  }
  expect(live.getView().epochs).toEqual(other.getView().epochs);
}

describe('RunLiveStore fed a real killed-then-resumed event stream', () => {
  it('the fixture holds a resume whose steps after the checkpoint were written twice', () => {
    expect(STARTS).toHaveLength(2);
    expect(RESUMED.resumed).toBe(true);
    const n = RESUMED.start_global_step!;
    expect(n).toBeGreaterThan(0);
    const raw = EVENTS.flatMap((e) => (e.type === 'step' ? [e.global_step] : []));
    const twice = raw.filter((g, i) => raw.indexOf(g) !== i);
    expect(twice.length).toBeGreaterThan(0);
    expect(Math.min(...twice)).toBe(n + 1);
  });

  it('never shows a step or an epoch twice, and at every event equals a reload of the lines so far', () => {
    const store = new RunLiveStore();
    store.load(detail({ steps: 0, epochs: 0, eventCount: 0 }));
    const metrics = emptyRunMetrics();
    EVENTS.forEach((event, index) => {
      expect(store.applyEvent(index, event)).toBe('applied');
      applyLine(metrics, parseEventLine(LINES[index]!));
      store.flushNow();
      const steps = xs(store.charts.stepLoss);
      expect(new Set(steps).size, `steps after event ${index}`).toBe(steps.length);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      const epochs = store.getView().epochs.map((e) => e.epoch);
      expect(new Set(epochs).size, `epochs after event ${index}`).toBe(epochs.length);
      expect(xs(store.charts.epochTrainLoss)).toEqual(epochs);
      expectSameSeries(store, reloaded(metrics));
    });
  });

  it('on the resumed run_started: drops the killed attempt’s later steps and goes back to its global step', () => {
    const store = new RunLiveStore();
    store.load(detail({ steps: 0, epochs: 0, eventCount: 0 }));
    const at = EVENTS.indexOf(RESUMED);
    for (let i = 0; i < at; i++) store.applyEvent(i, EVENTS[i]!);
    store.flushNow();
    const before = store.getView();
    const n = RESUMED.start_global_step!;
    expect(Math.max(...xs(store.charts.stepLoss))).toBeGreaterThan(n); // the killed attempt went past it
    store.applyEvent(at, RESUMED);
    store.flushNow();
    const view = store.getView();
    expect(Math.max(...xs(store.charts.stepLoss))).toBe(n);
    expect(view.epochs.every((e) => e.epoch < RESUMED.start_epoch)).toBe(true);
    expect(view.progress).toMatchObject({ globalStep: n, epoch: RESUMED.start_epoch, totalSteps: RESUMED.total_steps });
    expect(view.versions.steps).toBeGreaterThan(before.versions.steps); // the step charts redraw
  });

  it('ends with each step once, with the resumed attempt’s values (later lines replace earlier ones)', () => {
    const store = new RunLiveStore();
    store.load(detail({ steps: 0, epochs: 0, eventCount: 0 }));
    EVENTS.forEach((event, index) => store.applyEvent(index, event));
    store.flushNow();
    const latest = new Map<number, number>();
    for (const e of EVENTS) if (e.type === 'step') latest.set(e.global_step, e.loss);
    const want = [...latest.entries()].sort((a, b) => a[0] - b[0]);
    expect(points(store.charts.stepLoss)).toEqual(want);
    expect(store.getView().epochs.map((e) => e.epoch)).toEqual([1, 2]);
  });
});
