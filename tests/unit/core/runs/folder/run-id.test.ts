import { describe, expect, it } from 'vitest';
import { isRunId, makeRunId, shortModelName } from '../../../../../electron/core/runs/folder/run-id';

describe('run ids', () => {
  it('read well and sort by creation time', () => {
    const random = () => 0;
    const a = makeRunId(new Date('2026-11-27T23:40:59Z'), 'deit_small_patch16_224', random);
    const b = makeRunId(new Date('2026-11-28T00:01:00Z'), 'deit_tiny_patch16_224', random);
    expect(a).toBe('20261127-2340-deit-small-aaaa');
    expect([b, a].sort()).toEqual([a, b]);
    expect(isRunId(a)).toBe(true);
  });

  it('name every model briefly', () => {
    expect(shortModelName('deit_base_patch16_384')).toBe('deit-base-384');
    expect(shortModelName('deit_tiny_distilled_patch16_224')).toBe('deit-tiny-distilled');
    expect(shortModelName('deit3_small_patch16_224')).toBe('deit3-small');
  });

  it('differ in their random part', () => {
    const ids = new Set(Array.from({ length: 50 }, () => makeRunId(new Date(0), 'deit_small_patch16_224')));
    expect(ids.size).toBeGreaterThan(45);
  });

  it('refuse folder names that are not run ids', () => {
    for (const name of ['..', '.', '.hidden', 'a/b', 'a\\b', '', 'x'.repeat(101)]) expect(isRunId(name)).toBe(false);
  });
});
