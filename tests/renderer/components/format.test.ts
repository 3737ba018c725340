import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatMemory,
  formatPercent,
  plural,
} from '../../../renderer/src/components/format';

describe('sizes: disk and downloads decimal, memory binary', () => {
  it('formats disk space and downloads in decimal units, as Docker and the environment checks do', () => {
    expect(formatBytes(950)).toBe('950 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(81.6e9)).toBe('82 GB'); // what the "Free disk space" check says for the same disk
    expect(formatBytes(4.2e9)).toBe('4.2 GB');
  });

  it('formats memory in binary units, as the settings’ memory estimates do', () => {
    expect(formatMemory(24 * 1024 ** 3)).toBe('24 GiB');
    expect(formatMemory(81559 * 1024 ** 2)).toBe('80 GiB'); // an H100 80GB
    expect(formatMemory(1.5 * 1024 ** 3)).toBe('1.5 GiB');
  });

  it('says "unknown" for a missing value', () => {
    for (const format of [formatBytes, formatMemory, formatDuration]) {
      expect(format(null)).toBe('unknown');
      expect(format(undefined)).toBe('unknown');
      expect(format(Number.NaN)).toBe('unknown');
    }
  });
});

describe('counts and shares: one way in the wizard and in the runs', () => {
  it('writes counts with thousands separators, whole, and "—" for a missing one', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(12345.6)).toBe('12,346');
    expect(formatCount(null)).toBe('—');
    expect(plural(1, 'class', 'classes')).toBe('1 class');
    expect(plural(1200, 'image')).toBe('1,200 images');
  });

  it('writes shares as percentages: metrics with one decimal, the validation share whole', () => {
    expect(formatPercent(0.8734)).toBe('87.3 %');
    expect(formatPercent(0.2, 0)).toBe('20 %');
    expect(formatPercent(undefined)).toBe('—');
  });
});
