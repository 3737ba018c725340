import { describe, expect, it } from 'vitest';
import { checkDriver } from '../../../../electron/core/environment/checks/check-driver';
import type { HostPlatform } from '../../../../electron/core/environment/host-platform';
import type { DetectedGpu } from '../../../../electron/core/environment/parse-nvidia-smi';

const ubuntu: HostPlatform = { os: 'linux', distroId: 'ubuntu', distroLike: ['debian'], wsl: false };
const h100: DetectedGpu = {
  index: 0,
  name: 'NVIDIA H100 80GB HBM3',
  memoryMiB: 81559,
  uuid: 'GPU-x',
  busId: '0',
  driverVersion: '580.159.04',
};
const ok = (driverVersion: string) => ({ state: 'ok' as const, driverVersion, gpus: [{ ...h100, driverVersion }] });

describe('checkDriver', () => {
  it('is ok for a current driver and names the GPUs', () => {
    const check = checkDriver(ok('580.159.04'), ubuntu);
    expect(check).toMatchObject({ id: 'driver', status: 'ok' });
    expect(check.message).toBe('NVIDIA driver 580.159.04 — 1 GPU: NVIDIA H100 80GB HBM3 (80 GiB).');
  });

  it('warns under minor-version compatibility (525.60.13 … 550.54.14)', () => {
    const check = checkDriver(ok('535.183.01'), ubuntu);
    expect(check.status).toBe('warning');
    expect(check.message).toMatch(/compatibility mode.*550\.54\.14/);
    expect(check.fix?.command).toBe('sudo ubuntu-drivers install');
  });

  it('blocks a driver too old for CUDA 12.4', () => {
    expect(checkDriver(ok('470.256.02'), ubuntu)).toMatchObject({
      status: 'blocking',
      message: expect.stringMatching(/too old/),
    });
  });

  it('uses the Windows driver numbers inside WSL', () => {
    expect(checkDriver(ok('551.61'), { ...ubuntu, wsl: true }).status).toBe('ok');
    expect(checkDriver(ok('550.90'), { ...ubuntu, wsl: true }).status).toBe('warning');
  });

  it('explains a driver that is not loaded (exit 9) with a restart', () => {
    const check = checkDriver({ state: 'not_loaded', detail: 'NVIDIA-SMI has failed' }, ubuntu);
    expect(check.status).toBe('blocking');
    expect(check.fix?.text).toMatch(/Restart the computer/);
    expect(check.detail).toBe('NVIDIA-SMI has failed');
  });

  it('blocks without any driver, and names the CPU fallback', () => {
    const check = checkDriver({ state: 'missing', procVersion: null }, ubuntu);
    expect(check.status).toBe('blocking');
    expect(check.message).toMatch(/CPU \(slow\)/);
  });

  it('warns when the module is loaded but nvidia-smi is missing', () => {
    expect(checkDriver({ state: 'missing', procVersion: '580.159.04' }, ubuntu)).toMatchObject({
      status: 'warning',
      message: expect.stringMatching(/nvidia-smi tool is missing/),
    });
  });

  it('skips on macOS with an explanation', () => {
    const check = checkDriver(
      { state: 'missing', procVersion: null },
      { os: 'darwin', distroId: null, distroLike: [], wsl: false },
    );
    expect(check.status).toBe('skipped');
    expect(check.message).toMatch(/Macs have no NVIDIA GPU/);
  });
});
