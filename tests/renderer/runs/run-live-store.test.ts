import type { RunSummary } from '../../../electron/contract';
import { RunLiveStore } from '../../../renderer/src/runs/run-live-store';
import { detail, epochEvent, gpuSample, skippedEvent, stepEvent, summary, warningEvent } from './run-fixtures';

function xs(store: RunLiveStore): number[] {
  const s = store.charts.stepLoss;
  return Array.from({ length: s.length }, (_, i) => s.at(i).x);
}

describe('RunLiveStore', () => {
  it('loads a snapshot and continues with the event numbered eventCount', () => {
    const store = new RunLiveStore();
    store.load(detail({ steps: 13, eventCount: 20 }));
    expect(store.expectedIndex).toBe(20);
    expect(store.applyEvent(19, stepEvent(13))).toBe('duplicate');
    expect(store.applyEvent(21, stepEvent(15))).toBe('gap');
    expect(store.applyEvent(20, stepEvent(14))).toBe('applied');
    expect(store.applyEvent(20, stepEvent(14))).toBe('duplicate');
    expect(xs(store)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });

  it('shows changes to React only when it flushes (coalesced), then all of them at once', () => {
    const store = new RunLiveStore();
    const listener = vi.fn();
    store.subscribe(listener);
    store.load(detail({ steps: 0, eventCount: 0 }));
    store.flushNow();
    expect(listener).toHaveBeenCalledTimes(1);
    const before = store.getView();
    for (let g = 1; g <= 5; g++) store.applyEvent(g - 1, stepEvent(g));
    expect(store.getView()).toBe(before); // nothing reached React yet
    store.flushNow();
    expect(listener).toHaveBeenCalledTimes(2);
    const after = store.getView();
    expect(after.progress?.globalStep).toBe(5);
    expect(after.versions.steps).toBeGreaterThan(before.versions.steps);
    expect(after.versions.gpu).toBe(before.versions.gpu); // GPU charts need not redraw
  });

  it('collects warnings and skipped files once each', () => {
    const store = new RunLiveStore();
    store.load(detail({ steps: 0, eventCount: 0, warnings: [{ code: 'class_no_val', message: 'fox has no val' }] }));
    store.applyEvent(0, warningEvent('class_no_val', 'fox has no val'));
    store.applyEvent(1, warningEvent('warmup_capped', 'Warmup was capped'));
    store.applyEvent(2, skippedEvent([{ path: 'a.txt', reason: 'not an image' }]));
    store.applyEvent(
      3,
      skippedEvent([
        { path: 'a.txt', reason: 'not an image' },
        { path: 'b.jpg', reason: 'corrupt' },
      ]),
    );
    store.flushNow();
    const view = store.getView();
    expect(view.warnings.map((w) => w.code)).toEqual(['class_no_val', 'warmup_capped']);
    expect(view.skipped.map((f) => f.path)).toEqual(['a.txt', 'b.jpg']);
  });

  it('adds epochs once, in order, as percentages for accuracy', () => {
    const store = new RunLiveStore();
    store.load(detail({ steps: 0, epochs: 1, eventCount: 1 }));
    store.applyEvent(1, epochEvent(2, 0.85));
    store.applyEvent(2, epochEvent(2, 0.85)); // a repeated epoch event (new index) is not drawn twice
    store.flushNow();
    expect(store.charts.epochTop1.length).toBe(2);
    expect(store.charts.epochTop1.last()).toEqual({ x: 2, y: 85 });
    expect(store.getView().epochs.map((e) => e.epoch)).toEqual([1, 2]);
  });

  it('ignores GPU samples it already has (by time)', () => {
    const store = new RunLiveStore();
    store.load(detail({ gpu: [gpuSample(1), gpuSample(2)] }));
    store.addGpuSample(gpuSample(2));
    store.addGpuSample(gpuSample(1));
    store.addGpuSample(gpuSample(3));
    expect(store.charts.gpus.get(0)?.utilizationPct.length).toBe(3);
    expect(store.charts.gpus.get(0)?.memoryGiB.last()?.y).toBe(40);
  });

  it('keeps the newest summary: a late, older one does not move progress back', () => {
    const store = new RunLiveStore();
    store.load(detail());
    const newer: RunSummary = summary({ progress: { ...summary().progress!, globalStep: 50 } });
    const older: RunSummary = summary({ progress: { ...summary().progress!, globalStep: 20 } });
    store.setSummary(newer);
    store.setSummary(older);
    store.flushNow();
    expect(store.getView().progress?.globalStep).toBe(50);
    store.setSummary(summary({ status: 'stopping', progress: older.progress }));
    store.flushNow();
    expect(store.getView().summary?.status).toBe('stopping'); // a new status always counts
  });

  it('appends log lines, dropping only the overlap with the loaded tail when asked', () => {
    const store = new RunLiveStore();
    store.loadLog(['a', 'b', 'c'], 103);
    store.appendLog(['b', 'c', 'd'], true);
    store.appendLog(['d'], false); // a genuinely repeated line is kept
    store.flushNow();
    expect(store.getView().log).toEqual(['a', 'b', 'c', 'd', 'd']);
    expect(store.getView().logTotal).toBe(105);
  });
});
