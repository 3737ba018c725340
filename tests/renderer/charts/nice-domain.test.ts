import {
  niceDomain,
  niceStep,
  niceTicks,
  niceTimeDomain,
  niceTimeStep,
  wholeTicks,
} from '../../../renderer/src/charts/nice-domain';

describe('nice axis ranges', () => {
  it('puts epoch ticks on whole numbers only', () => {
    expect(wholeTicks(0, 1)).toEqual([0, 1]);
    expect(wholeTicks(0, 2, 5)).toEqual([0, 1, 2]);
    expect(wholeTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(wholeTicks(0, 100)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0, 1)).toContain(0.25); // what an epoch axis showed before
  });

  it('picks round steps', () => {
    expect(niceStep(210_000, 4)).toBe(100_000);
    expect(niceStep(2.3, 4)).toBe(1);
    expect(niceStep(0.0031, 4)).toBe(0.001);
    expect(niceStep(90, 4)).toBe(25);
  });

  it('widens a range to whole steps, so it stays put while data moves inside it', () => {
    expect(niceDomain(0.31, 2.42)).toEqual([0, 3]);
    expect(niceDomain(0.31, 2.44)).toEqual(niceDomain(0.29, 2.49));
    expect(niceDomain(5, 5)).toEqual([4.5, 5.5]);
    expect(niceDomain(Number.NaN, 1)).toEqual([0, 1]);
  });

  it('puts ticks on round values only', () => {
    expect(niceTicks(0, 210_000)).toEqual([0, 100_000, 200_000]);
    expect(niceTicks(0, 100)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0, 0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(5, 5)).toEqual([]);
  });

  it('puts time ticks on round clock times', () => {
    expect(niceTimeStep(8 * 3600, 4)).toBe(2 * 3600);
    expect(niceTimeStep(20 * 60, 4)).toBe(5 * 60);
    const first = Date.UTC(2026, 0, 1, 9, 17) / 1000;
    const { domain, ticks } = niceTimeDomain(first, first + 8 * 3600);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    for (const t of ticks) expect(new Date(t * 1000).getMinutes()).toBe(0); // on the hour, local time
    expect(domain[0]).toBeLessThanOrEqual(first);
    expect(domain[1]).toBeGreaterThanOrEqual(first + 8 * 3600);
  });
});
