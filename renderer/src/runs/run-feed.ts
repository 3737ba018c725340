import type { EventPayload, StudioApi } from '@contract';
import type { RunLiveStore } from './run-live-store';

/** How much a feed asks for when it (re)loads a run. */
export interface RunFeedOptions {
  /** Points per series in the snapshot; charts downsample again to their own width. */
  maxPoints: number;
  /** Log lines read at load. */
  logLines: number;
  /** Reloads in a row without a live event in between before a gap is accepted as final. */
  maxResyncs: number;
}

/** A connected feed: reload it (the user's "Try again"), or close it (unmount). */
export interface RunFeed {
  reload(): void;
  close(): void;
}

type Buffered =
  | { kind: 'event'; payload: EventPayload<'run.event'> }
  | { kind: 'updated'; payload: EventPayload<'run.updated'> }
  | { kind: 'log'; payload: EventPayload<'run.log'> }
  | { kind: 'gpu'; payload: EventPayload<'run.gpu'> };

/** Events kept while a snapshot loads; past this a reload is needed anyway. */
const BUFFER_LIMIT = 100_000;

const DEFAULTS: RunFeedOptions = { maxPoints: 2000, logLines: 1000, maxResyncs: 3 };

/**
 * Connects one run's store to the API: subscribe first (buffering), then read the snapshot
 * (runs.get + runs.log), then replay what arrived meanwhile. Trainer events are numbered, so the
 * store drops the ones the snapshot already holds; a missing number means events were lost (an
 * event stream that reconnected) and the snapshot is read again. A page reload mid-run therefore
 * continues with nothing missing and nothing doubled.
 */
export function connectRunFeed(
  api: StudioApi,
  runId: string,
  store: RunLiveStore,
  options: Partial<RunFeedOptions> = {},
): RunFeed {
  const { maxPoints, logLines, maxResyncs } = { ...DEFAULTS, ...options };
  let closed = false;
  let loading = true;
  let generation = 0;
  let resyncs = 0;
  let buffer: Buffered[] = [];

  function receive(item: Buffered): void {
    if (closed) return;
    if (loading) {
      if (buffer.length < BUFFER_LIMIT) buffer.push(item);
      return;
    }
    dispatch(item);
  }

  function dispatch(item: Buffered): void {
    switch (item.kind) {
      case 'event':
        return onTrainerEvent(item.payload);
      case 'updated':
        return store.setSummary(item.payload);
      case 'log':
        return store.appendLog(item.payload.lines);
      case 'gpu':
        return store.addGpuSample(item.payload.sample);
    }
  }

  function onTrainerEvent(payload: EventPayload<'run.event'>): void {
    const outcome = store.applyEvent(payload.index, payload.event);
    if (outcome === 'applied') resyncs = 0;
    if (outcome !== 'gap') return;
    if (resyncs >= maxResyncs) {
      // The events are gone for good (e.g. metrics.jsonl was truncated): carry on from here.
      store.skipTo(payload.index);
      store.applyEvent(payload.index, payload.event);
      return;
    }
    resyncs += 1;
    buffer = [{ kind: 'event', payload }];
    void load();
  }

  async function load(): Promise<void> {
    loading = true;
    const mine = ++generation;
    const [detail, log] = await Promise.all([
      api.call('runs.get', { id: runId, maxPoints }),
      api.call('runs.log', { id: runId, limit: logLines }),
    ]);
    if (closed || mine !== generation) return;
    if (!detail.ok) {
      store.setError(detail.error);
      return; // keeps buffering until "Try again" loads a snapshot
    }
    store.load(detail.value);
    if (log.ok) store.loadLog(log.value.lines, log.value.total);
    else store.setLogError(log.error);
    loading = false;
    drain();
  }

  function drain(): void {
    const pending = buffer;
    buffer = [];
    // Lines that arrived while the log was read may be in it too: compare them with its tail in one go.
    const lines = pending.flatMap((item) => (item.kind === 'log' ? item.payload.lines : []));
    if (lines.length) store.appendLog(lines, true);
    for (const item of pending) {
      if (item.kind === 'log') continue;
      if (loading) buffer.push(item);
      else dispatch(item);
    }
  }

  const unsubscribe = [
    api.on('run.event', (p) => p.runId === runId && receive({ kind: 'event', payload: p })),
    api.on('run.updated', (p) => p.id === runId && receive({ kind: 'updated', payload: p })),
    api.on('run.log', (p) => p.runId === runId && receive({ kind: 'log', payload: p })),
    api.on('run.gpu', (p) => p.runId === runId && receive({ kind: 'gpu', payload: p })),
  ];
  void load();

  return {
    reload() {
      if (closed) return;
      resyncs = 0;
      void load();
    },
    close() {
      closed = true;
      for (const off of unsubscribe) off();
      store.dispose();
    },
  };
}
