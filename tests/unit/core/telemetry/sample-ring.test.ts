import { describe, expect, it } from 'vitest';
import { SampleRing } from '../../../../electron/core/telemetry/sample-ring';

describe('SampleRing', () => {
  it('keeps the newest samples, oldest first', () => {
    const ring = new SampleRing<{ time: number }>(3);
    for (let time = 1; time <= 5; time++) ring.push({ time });
    expect(ring.since(0).map((s) => s.time)).toEqual([3, 4, 5]);
    expect(ring.since(4).map((s) => s.time)).toEqual([4, 5]);
    expect(ring.size).toBe(3);
  });
});
