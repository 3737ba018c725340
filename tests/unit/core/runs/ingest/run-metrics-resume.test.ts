import { describe, expect, it } from 'vitest';
import { TrainerEvent } from '../../../../../electron/contract';
import { parseEventLine } from '../../../../../electron/core/runs/ingest/event-line';
import { applyEvent, applyLine, emptyRunMetrics } from '../../../../../electron/core/runs/ingest/run-metrics';
import { fixtureLines, metricsOf } from '../../../../helpers/runs-fixtures';

// killed-resumed.jsonl (tests/trainer/test_kill_resume.py): SIGKILL mid-epoch 2 after the epoch-1
// checkpoint, then --resume: the steps after the checkpoint are in metrics.jsonl twice.
const LINES = fixtureLines('killed-resumed.jsonl');
const RESUMED_AT = LINES.findLastIndex((l) => /"type": ?"run_started"/.test(l));
const RESUMED = JSON.parse(LINES[RESUMED_AT]!) as { start_global_step: number; start_epoch: number };

describe('run metrics of a killed, then resumed run', () => {
  it('at the resumed run_started: the steps after its checkpoint and its epoch go, the progress goes back', () => {
    const m = emptyRunMetrics();
    for (const line of LINES.slice(0, RESUMED_AT)) applyLine(m, parseEventLine(line));
    expect(m.steps[m.steps.length - 1]!.globalStep).toBeGreaterThan(RESUMED.start_global_step); // the killed attempt
    applyLine(m, parseEventLine(LINES[RESUMED_AT]!));
    expect(m.steps.map((s) => s.globalStep)).toEqual(
      Array.from({ length: RESUMED.start_global_step }, (_, i) => i + 1),
    );
    expect(m.epochs.every((e) => e.epoch < RESUMED.start_epoch)).toBe(true);
    expect(m.progress).toMatchObject({ globalStep: RESUMED.start_global_step, epoch: RESUMED.start_epoch, step: 0 });
  });

  it('in the end: each step and epoch once, with the resumed attempt’s values', () => {
    const m = metricsOf('killed-resumed.jsonl');
    const latest = new Map<number, number>();
    for (const line of LINES) {
      const e = JSON.parse(line) as { type: string; global_step: number; loss: number };
      if (e.type === 'step') latest.set(e.global_step, e.loss);
    }
    expect(m.steps.map((s) => [s.globalStep, s.loss])).toEqual([...latest.entries()].sort((a, b) => a[0] - b[0]));
    expect(m.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(m.finished).not.toBeNull();
  });

  it('a fresh attempt (start_global_step 0, e.g. a resume with no checkpoint yet) starts the series over', () => {
    const m = metricsOf('killed-resumed.jsonl');
    const first = TrainerEvent.parse(JSON.parse(LINES.find((l) => /"type": ?"run_started"/.test(l))!));
    expect(first.type === 'run_started' && first.start_global_step).toBe(0);
    applyEvent(m, first);
    expect(m.steps).toEqual([]);
    expect(m.epochs).toEqual([]);
    expect(m.bestValTop1).toBeNull();
    expect(m.progress).toMatchObject({ globalStep: 0, epoch: 1, step: 0 });
  });

  it('an older trainer’s run_started (no start_global_step): the repeated steps are replaced as they come again', () => {
    const m = emptyRunMetrics();
    LINES.forEach((line, i) => {
      const e = JSON.parse(line) as Record<string, unknown>;
      if (i === RESUMED_AT) delete e.start_global_step;
      applyLine(m, parseEventLine(JSON.stringify(e)));
      if (i === RESUMED_AT) expect(m.progress?.globalStep).toBe(m.steps[m.steps.length - 1]!.globalStep);
    });
    const steps = m.steps.map((s) => s.globalStep);
    expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
  });
});
