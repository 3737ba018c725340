import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { SystemSummary } from '../../../../electron/contract';
import { NvidiaSmi } from '../../../../electron/core/environment/nvidia-smi';
import { readSystemSummary } from '../../../../electron/core/environment/system-summary';
import { fakeNvidiaSmiEnv } from '../../../helpers/fake-nvidia-smi';

describe('readSystemSummary', () => {
  it('takes NVIDIA GPUs and their driver version from nvidia-smi when systeminformation has none', async () => {
    const summary = await readSystemSummary(os.tmpdir(), new NvidiaSmi({ env: fakeNvidiaSmiEnv() }));
    expect(SystemSummary.parse(summary)).toEqual(summary);
    expect(summary.gpus).toContainEqual({
      name: 'NVIDIA H100 80GB HBM3',
      vendor: 'NVIDIA',
      memoryBytes: 81559 * 1024 * 1024,
      driverVersion: '580.159.04',
    });
    expect(summary.disk.freeBytes).toBeGreaterThan(0);
  });
});
