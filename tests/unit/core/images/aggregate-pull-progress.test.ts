import { describe, expect, it } from 'vitest';
import { PullProgressTracker, type PullSnapshot } from '../../../../electron/core/images/aggregate-pull-progress';
import { parsePullEvent, type PullEvent } from '../../../../electron/core/images/parse-pull-event';
import { readJsonLinesFixture } from '../../../helpers/fixtures';

function replay(events: PullEvent[], msPerEvent = 100): { snapshots: PullSnapshot[]; tracker: PullProgressTracker } {
  const tracker = new PullProgressTracker();
  const snapshots = events.map((event, i) => {
    tracker.apply(event, i * msPerEvent);
    return tracker.snapshot(i * msPerEvent);
  });
  return { snapshots, tracker };
}

const recorded = readJsonLinesFixture('docker', 'pull-local-registry-3-layers.jsonl').map(parsePullEvent);

describe('PullProgressTracker on a recorded pull (Docker 20.10, 3 layers from a local registry)', () => {
  const { snapshots } = replay(recorded);
  const last = snapshots.at(-1)!;

  it('ends with every layer done and every byte counted', () => {
    expect(last).toMatchObject({ layersDone: 3, layersTotal: 3, bytesDone: 10_503_803, bytesTotal: 10_503_803 });
  });

  it('never moves bytes or layers backwards', () => {
    for (let i = 1; i < snapshots.length; i++) {
      expect(snapshots[i]!.bytesDone).toBeGreaterThanOrEqual(snapshots[i - 1]!.bytesDone);
      expect(snapshots[i]!.layersDone).toBeGreaterThanOrEqual(snapshots[i - 1]!.layersDone);
    }
  });

  it('knows all three layers from the start ("Pulling fs layer")', () => {
    expect(snapshots[3]).toMatchObject({ layersTotal: 3, layersDone: 0 });
  });

  it('reports unpacking once every byte is here', () => {
    const firstUnpacking = snapshots.findIndex((s) => s.unpacking);
    expect(snapshots[firstUnpacking]!.bytesDone).toBe(10_503_803);
    expect(snapshots[firstUnpacking]!.etaS).toBeNull();
  });

  it('ignores the "Pulling from" line whose id is the tag, not a layer', () => {
    expect(recorded[0]).toEqual({ kind: 'info', text: 'Pulling from deit-env-test/layers 1' });
  });
});

describe('PullProgressTracker on containerd image store events (moby #44975, #47108)', () => {
  const events = readJsonLinesFixture('docker', 'pull-containerd-store.jsonl').map(parsePullEvent);
  const { snapshots } = replay(events);

  it('discovers layers mid-pull without "Pulling fs layer", and skips layers that already exist', () => {
    expect(snapshots.map((s) => s.layersTotal)).toContain(3);
    expect(snapshots.at(-1)).toMatchObject({ layersDone: 3, layersTotal: 3 });
  });

  it('has no byte total while a layer reports total -1 or none, and one when all are known', () => {
    expect(snapshots[3]!.bytesTotal).toBeNull();
    expect(snapshots.at(-1)!.bytesTotal).toBe(30_439_936 + 8_388_608);
  });

  it('does not count extraction seconds as bytes', () => {
    const extracting = events.findIndex((e) => e.kind === 'layer' && e.seconds);
    expect(snapshots[extracting]!.bytesDone).toBe(snapshots[extracting - 1]!.bytesDone);
  });
});

describe('speed and ETA', () => {
  it('measures speed over the last seconds and derives the ETA', () => {
    const tracker = new PullProgressTracker();
    const layer = (current: number): PullEvent => ({
      kind: 'layer',
      id: 'a',
      status: 'downloading',
      current,
      total: 100e6,
      seconds: false,
    });
    tracker.apply(layer(0), 0);
    tracker.apply(layer(10e6), 1000);
    tracker.apply(layer(20e6), 2000);
    const snapshot = tracker.snapshot(2000);
    expect(snapshot.speedBytesPerS).toBeCloseTo(10e6);
    expect(snapshot.etaS).toBe(8);
  });

  it('has no speed in the first half second', () => {
    const tracker = new PullProgressTracker();
    tracker.apply({ kind: 'layer', id: 'a', status: 'downloading', current: 5, total: 10, seconds: false }, 0);
    expect(tracker.snapshot(100).speedBytesPerS).toBeNull();
  });
});
