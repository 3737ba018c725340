import { compareVersions } from './compare-versions';

/** Minimum NVIDIA drivers for CUDA 12.4 (the PyTorch 2.6 image): in full, and under minor-version compatibility. */
export const CUDA_12_4_DRIVER = {
  linux: { full: '550.54.14', compat: '525.60.13' },
  windows: { full: '551.61', compat: '527.41' },
} as const;

/** ok: CUDA 12.4 fully supported; compat: runs through minor-version compatibility (PTX JIT may fail); too_old. */
export type DriverVerdict = 'ok' | 'compat' | 'too_old';

/** Judges a driver version for the CUDA 12.4 image; Windows numbering applies on Windows and inside WSL. */
export function judgeDriver(version: string, family: 'linux' | 'windows'): DriverVerdict {
  const limits = CUDA_12_4_DRIVER[family];
  if (compareVersions(version, limits.full) >= 0) return 'ok';
  if (compareVersions(version, limits.compat) >= 0) return 'compat';
  return 'too_old';
}
