import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../../../../../electron/core/runs/ingest/event-line';
import { fixtureLines, fixtureNames } from '../../../../helpers/runs-fixtures';

const step = {
  v: 1,
  seq: 3,
  time: 1767225609.5,
  type: 'step',
  epoch: 1,
  step: 2,
  steps_per_epoch: 9,
  global_step: 2,
  total_steps: 27,
  loss: 1.2,
  lr: 0.0001,
  img_per_s: 100,
  eta_s: null,
};

describe('parseEventLine', () => {
  it.each(fixtureNames())('parses every line of the trainer fixture %s as an event', (name) => {
    const lines = fixtureLines(name);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const parsed = parseEventLine(line);
      expect(parsed, line).toMatchObject({ kind: 'event' });
    }
  });

  it('keeps fields it does not know (a newer v1 trainer may add some)', () => {
    const parsed = parseEventLine(JSON.stringify({ ...step, extra: { a: 1 } }));
    expect(parsed.kind).toBe('event');
    if (parsed.kind === 'event') expect((parsed.event as Record<string, unknown>).extra).toEqual({ a: 1 });
  });

  it('turns garbage into a warning instead of throwing', () => {
    for (const line of ['not json', '{"v":1,', '[1,2]', '42', 'null', '\u0000\u0001']) {
      expect(parseEventLine(line)).toMatchObject({ kind: 'ignored', warning: { code: 'stream_garbage' } });
    }
  });

  it('reports an unknown event type as a warning', () => {
    const parsed = parseEventLine(JSON.stringify({ v: 1, seq: 1, time: 1, type: 'telemetry', x: 1 }));
    expect(parsed).toMatchObject({ kind: 'ignored', warning: { code: 'stream_unknown_event' } });
  });

  it('names the invalid field of a known event type', () => {
    const parsed = parseEventLine(JSON.stringify({ ...step, loss: 'high' }));
    expect(parsed).toMatchObject({ kind: 'ignored', warning: { code: 'stream_invalid_event' } });
    if (parsed.kind === 'ignored') expect(parsed.warning.message).toContain('loss');
  });

  it('asks for an update when the trainer speaks a newer protocol', () => {
    const parsed = parseEventLine(JSON.stringify({ ...step, v: 2 }));
    expect(parsed).toMatchObject({ kind: 'ignored', warning: { code: 'stream_newer_version' } });
  });

  it('treats whitespace-only lines as blank', () => {
    expect(parseEventLine('   \t')).toEqual({ kind: 'blank' });
    expect(parseEventLine('')).toEqual({ kind: 'blank' });
  });
});
