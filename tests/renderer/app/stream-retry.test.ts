import { describe, expect, it } from 'vitest';
import { streamRetryDelay } from '../../../renderer/src/api/http-transport';

describe('streamRetryDelay: when the page opens the event stream again', () => {
  it('waits 2 s while the server does not answer at all', () => {
    expect(streamRetryDelay(false, 0)).toBe(2000);
    expect(streamRetryDelay(false, 7)).toBe(2000);
  });

  it('tries again at once the first time the server answers, then backs off to 30 s while it refuses the stream', () => {
    const delays = Array.from({ length: 10 }, (_, i) => streamRetryDelay(true, i + 1));
    expect(delays.slice(0, 3)).toEqual([0, 500, 1000]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(delays.at(-1)).toBe(30_000);
  });
});
