import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../../../../../electron/core/runs/ingest/event-line';
import {
  applyLine,
  emptyRunMetrics,
  epochsDone,
  MAX_WARNINGS,
} from '../../../../../electron/core/runs/ingest/run-metrics';
import { fixtureLines, metricsOf } from '../../../../helpers/runs-fixtures';

describe('run metrics from the trainer fixtures', () => {
  it('finished-run: epochs, best accuracy, steps, progress and the finished event', () => {
    const lines = fixtureLines('finished-run.jsonl');
    const m = metricsOf('finished-run.jsonl');
    expect(m.eventCount).toBe(lines.length);
    expect(m.finished).not.toBeNull();
    expect(m.error).toBeNull();
    expect(m.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: m.epochs.length }, (_, i) => i + 1));
    expect(epochsDone(m)).toBe(m.finished!.epochs_done);
    expect(m.bestValTop1).toBe(m.finished!.best_val_top1);
    const steps = m.steps.map((s) => s.globalStep);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(m.progress).toMatchObject({ etaS: 0 });
    expect(m.started?.type).toBe('run_started');
    expect(m.artifacts.length).toBeGreaterThan(0);
  });

  it('stopped-resumed: the resumed attempt replaces repeated steps and clears the stop', () => {
    const m = metricsOf('stopped-resumed.jsonl');
    expect(m.started?.resumed).toBe(true);
    expect(m.stopped).toBeNull(); // cleared by the second run_started
    expect(m.finished).not.toBeNull();
    const steps = m.steps.map((s) => s.globalStep);
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    const epochs = m.epochs.map((e) => e.epoch);
    expect(epochs).toEqual([...new Set(epochs)].sort((a, b) => a - b));
  });

  it('stopped-resumed up to the stop: a stopped event and a resumable state', () => {
    const lines = fixtureLines('stopped-resumed.jsonl');
    const cut = lines.findIndex((l) => l.includes('"type": "stopped"') || l.includes('"type":"stopped"'));
    expect(cut).toBeGreaterThan(0);
    const m = emptyRunMetrics();
    for (const line of lines.slice(0, cut + 1)) applyLine(m, parseEventLine(line));
    expect(m.stopped?.resumable).toBe(true);
    expect(m.finished).toBeNull();
  });

  it('dataset-error: the error event is kept', () => {
    const m = metricsOf('dataset-error.jsonl');
    expect(m.error?.kind).toMatch(/^dataset_/);
    expect(m.finished).toBeNull();
  });

  it('oom-stepdown: the batch size follows the trainer and the warning is listed', () => {
    const m = metricsOf('oom-stepdown.jsonl');
    const sizes = fixtureLines('oom-stepdown.jsonl')
      .map((l) => JSON.parse(l) as { type: string; batch_size?: number })
      .filter((e) => e.type === 'batch_size')
      .map((e) => e.batch_size);
    expect(m.batchSize).toBe(sizes[sizes.length - 1]);
    expect(m.warnings.some((w) => w.code === 'out_of_memory')).toBe(true);
  });

  it('skipped-files: every skipped file is listed', () => {
    const m = metricsOf('skipped-files.jsonl');
    expect(m.skipped.length).toBeGreaterThan(0);
    expect(m.skippedTotal).toBe(m.skipped.length);
    for (const file of m.skipped) expect(file.reason).not.toBe('');
    // A resumed attempt lists them again: the count stays the trainer's, not doubled.
    const again = fixtureLines('skipped-files.jsonl').find((l) => l.includes('"files_skipped"'))!;
    applyLine(m, parseEventLine(again));
    expect(m.skippedTotal).toBe(m.skipped.length);
    expect(new Set(m.skipped.map((f) => f.path)).size).toBe(m.skipped.length);
    // The event lists the first 1,000; its total counts them all.
    const event = JSON.parse(again) as Record<string, unknown>;
    applyLine(m, parseEventLine(JSON.stringify({ ...event, total: 4321, truncated: true })));
    expect(m.skippedTotal).toBe(4321);
  });
});

describe('applyLine', () => {
  it('counts every line, blank and garbage included, so eventCount is the next line number', () => {
    const m = emptyRunMetrics();
    for (const line of ['', 'garbage', '{"v":1,"seq":0,"time":1,"type":"warning","code":"x","message":"y"}']) {
      applyLine(m, parseEventLine(line));
    }
    expect(m.eventCount).toBe(3);
    expect(m.warnings.map((w) => w.code)).toEqual(['stream_garbage', 'x']);
  });

  it('keeps repeated identical warnings once and caps the list', () => {
    const m = emptyRunMetrics();
    for (let i = 0; i < 5; i++) applyLine(m, parseEventLine('same garbage'));
    expect(m.warnings).toHaveLength(1);
    for (let i = 0; i < MAX_WARNINGS * 2; i++) applyLine(m, parseEventLine(`garbage ${i}`));
    expect(m.warnings).toHaveLength(MAX_WARNINGS);
  });

  it('says whether a line changed progress or status, for throttled updates', () => {
    const m = emptyRunMetrics();
    const [first] = fixtureLines('finished-run.jsonl');
    const stepLine = fixtureLines('finished-run.jsonl').find((l) => l.includes('"type": "step"'))!;
    const epochLine = fixtureLines('finished-run.jsonl').find((l) => l.includes('"type": "epoch"'))!;
    expect(applyLine(m, parseEventLine(first!))).toBe('progress');
    expect(applyLine(m, parseEventLine(stepLine))).toBe('progress');
    expect(applyLine(m, parseEventLine(epochLine))).toBe('status');
    expect(applyLine(m, parseEventLine('junk'))).toBe('none');
  });
});
