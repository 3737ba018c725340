import { connectRunFeed } from '../../../renderer/src/runs/run-feed';
import { RunLiveStore } from '../../../renderer/src/runs/run-live-store';
import { FakeRunServer } from './fake-run-server';
import { gpuSample, stepEvent } from './run-fixtures';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function stepXs(store: RunLiveStore): number[] {
  const s = store.charts.stepLoss;
  return Array.from({ length: s.length }, (_, i) => s.at(i).x);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('connectRunFeed', () => {
  it('a reload mid-run, with events arriving while the snapshot is read and again after, has no duplicates and no gaps', async () => {
    const server = new FakeRunServer('run-1', 10);
    server.log.push('line 1', 'line 2');

    // The first page: loads, follows a few events, then the user reloads (unmount).
    const first = new RunLiveStore();
    const feed1 = connectRunFeed(server.api, 'run-1', first);
    await tick();
    for (let g = 11; g <= 15; g++) server.append(stepEvent(g));
    server.appendLog(['line 3']);
    expect(stepXs(first)).toEqual(range(1, 15));
    feed1.close();
    expect(server.api.listenerCount('run.event')).toBe(0);

    // Training goes on while no page listens.
    for (let g = 16; g <= 18; g++) server.append(stepEvent(g));
    server.appendLog(['line 4']);

    // The reloaded page subscribes, then asks for the snapshot, which is slow to come…
    const held = server.hold();
    const second = new RunLiveStore();
    const feed2 = connectRunFeed(server.api, 'run-1', second);
    await tick();
    // …while events stream in: the stream replays 17–18 it already sent, and steps 19–21 are new —
    // and the snapshot, read last, holds all of them too.
    server.replay(16);
    server.replay(17);
    for (let g = 19; g <= 21; g++) server.append(stepEvent(g));
    server.appendLog(['line 5']);
    held.release();
    await tick();
    await tick();
    // After the snapshot: a duplicate from a reconnecting stream, then the next step.
    server.replay(20);
    server.append(stepEvent(22));
    server.appendGpu(gpuSample(3));
    server.appendGpu(gpuSample(3));
    second.flushNow();

    expect(stepXs(second)).toEqual(range(1, 22));
    expect(second.expectedIndex).toBe(22);
    expect(second.getView().progress?.globalStep).toBe(22);
    expect(second.getView().log).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    expect(second.charts.gpus.get(0)?.utilizationPct.length).toBe(1);
    expect(server.api.count('runs.get')).toBe(2); // one per page load, no extra resync
    feed2.close();
  });

  it('reads the snapshot again when events were lost on the way, then continues without a gap', async () => {
    const server = new FakeRunServer('run-1', 5);
    const store = new RunLiveStore();
    const feed = connectRunFeed(server.api, 'run-1', store);
    await tick();
    server.append(stepEvent(6), { emit: false }); // lost: the event stream dropped it
    server.append(stepEvent(7), { emit: false });
    server.append(stepEvent(8)); // index 7 arrives while 5 is expected
    await tick();
    await tick();
    server.append(stepEvent(9));
    expect(stepXs(store)).toEqual(range(1, 9));
    expect(server.api.count('runs.get')).toBe(2);
    feed.close();
  });

  it('ignores other runs’ events', async () => {
    const server = new FakeRunServer('run-1', 3);
    const store = new RunLiveStore();
    const feed = connectRunFeed(server.api, 'run-1', store);
    await tick();
    server.api.emit('run.event', { runId: 'run-2', index: 3, event: stepEvent(99) });
    server.api.emit('run.log', { runId: 'run-2', lines: ['other run'] });
    store.flushNow();
    expect(stepXs(store)).toEqual(range(1, 3));
    expect(store.getView().log).toEqual([]);
    feed.close();
  });

  it('shows the typed error when the run cannot be read, and loads on "Try again"', async () => {
    const server = new FakeRunServer('run-1', 3);
    let fail = true;
    const real = server.api;
    const get = real.call.bind(real);
    real.call = (async (name: string, input: unknown) => {
      if (name === 'runs.get' && fail) {
        return {
          ok: false,
          error: { kind: 'not_found', message: 'This run does not exist.', fix: 'Open the runs list.' },
        };
      }
      return get(name as never, input as never);
    }) as typeof real.call;
    const store = new RunLiveStore();
    const feed = connectRunFeed(real, 'run-1', store);
    await tick();
    store.flushNow();
    expect(store.getView().error?.kind).toBe('not_found');
    server.append(stepEvent(4)); // buffered meanwhile
    fail = false;
    feed.reload();
    await tick();
    await tick();
    store.flushNow();
    expect(store.getView().error).toBeNull();
    expect(stepXs(store)).toEqual(range(1, 4));
    feed.close();
  });
});
