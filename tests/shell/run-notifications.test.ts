import { describe, expect, it } from 'vitest';
import type { RunStatus, RunSummary } from '../../electron/contract';
import { EventBus } from '../../electron/core/event-bus';
import { runEndNotice, watchRunEnds, type Notice } from '../../electron/main/run-notifications';

function run(status: RunStatus, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'r1',
    name: 'flowers-deit-s',
    status,
    modelId: 'deit_small_patch16_224',
    datasetPath: '/data/flowers',
    createdAt: '2025-01-01T00:00:00Z',
    startedAt: null,
    endedAt: null,
    durationS: null,
    epochsDone: 3,
    epochs: 10,
    bestValTop1: 0.9123,
    progress: null,
    resumable: false,
    failure: null,
    ...extra,
  } as RunSummary;
}

describe('run-end notices', () => {
  it('announces the transition into finished, failed or stopped', () => {
    expect(runEndNotice('running', run('finished'))?.body).toContain('91.2 %');
    const failure = { cause: 'out_of_memory', message: 'The GPU ran out of memory.', fix: 'Use a smaller batch.' };
    expect(runEndNotice('running', run('failed', { failure } as never))).toEqual({
      title: 'Training failed: flowers-deit-s',
      body: 'The GPU ran out of memory.',
    });
    expect(runEndNotice('stopping', run('stopped'))?.body).toBe('Stopped after 3 of 10 epochs.');
  });

  it('stays quiet for runs first seen already ended, repeats and non-ending updates', () => {
    expect(runEndNotice(undefined, run('finished'))).toBeNull();
    expect(runEndNotice('finished', run('finished'))).toBeNull();
    expect(runEndNotice('running', run('running'))).toBeNull();
  });

  it('shows a notice only while the app is in the background', () => {
    const bus = new EventBus();
    const shown: Notice[] = [];
    let focused = true;
    watchRunEnds(bus, { appFocused: () => focused, show: (n) => shown.push(n) });
    bus.emit('run.updated', run('running'));
    bus.emit('run.updated', run('finished'));
    expect(shown).toEqual([]);
    focused = false;
    bus.emit('run.updated', run('running', { id: 'r2' }));
    bus.emit('run.updated', run('finished', { id: 'r2' }));
    bus.emit('run.updated', run('finished', { id: 'r2' }));
    expect(shown.map((n) => n.title)).toEqual(['Training finished: flowers-deit-s']);
  });
});
