import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../../../electron/core/environment/compare-versions';
import { judgeDriver } from '../../../../electron/core/environment/driver-requirements';

describe('judgeDriver for the CUDA 12.4 image', () => {
  it.each([
    ['580.159.04', 'linux', 'ok'],
    ['550.54.14', 'linux', 'ok'],
    ['550.54.13', 'linux', 'compat'],
    ['535.183.01', 'linux', 'compat'],
    ['525.60.13', 'linux', 'compat'],
    ['525.60.12', 'linux', 'too_old'],
    ['470.256.02', 'linux', 'too_old'],
    ['551.61', 'windows', 'ok'],
    ['551.52', 'windows', 'compat'],
    ['527.41', 'windows', 'compat'],
    ['527.37', 'windows', 'too_old'],
  ] as const)('%s on %s is %s', (version, family, verdict) => {
    expect(judgeDriver(version, family)).toBe(verdict);
  });
});

describe('compareVersions', () => {
  it('compares numerically, part by part, missing parts as 0', () => {
    expect(compareVersions('1.41', '1.40')).toBe(1);
    expect(compareVersions('1.9', '1.10')).toBe(-1);
    expect(compareVersions('550.54', '550.54.0')).toBe(0);
  });
});
