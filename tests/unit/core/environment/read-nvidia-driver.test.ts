import { describe, expect, it } from 'vitest';
import { NvidiaSmi } from '../../../../electron/core/environment/nvidia-smi';
import { readNvidiaDriver } from '../../../../electron/core/environment/read-nvidia-driver';
import { fakeNvidiaSmiEnv, noNvidiaSmiEnv } from '../../../helpers/fake-nvidia-smi';
import { fixturePath } from '../../../helpers/fixtures';

const NO_PROC = '/nonexistent/deit-env-test/version';

describe('readNvidiaDriver with a fake nvidia-smi replaying recorded output', () => {
  it('reads the H100 recording', async () => {
    const reading = await readNvidiaDriver(new NvidiaSmi({ env: fakeNvidiaSmiEnv() }), NO_PROC);
    expect(reading).toMatchObject({
      state: 'ok',
      driverVersion: '580.159.04',
      gpus: [{ index: 0, name: 'NVIDIA H100 80GB HBM3' }],
    });
  });

  it('recognises exit 9 as a driver that is not loaded', async () => {
    const reading = await readNvidiaDriver(new NvidiaSmi({ env: fakeNvidiaSmiEnv('driver-not-loaded') }), NO_PROC);
    expect(reading.state).toBe('not_loaded');
    expect(reading).toMatchObject({ detail: expect.stringContaining("couldn't communicate with the NVIDIA driver") });
  });

  it('reads an old driver version as it is (judging it is the check’s job)', async () => {
    const reading = await readNvidiaDriver(new NvidiaSmi({ env: fakeNvidiaSmiEnv('old-driver-470') }), NO_PROC);
    expect(reading).toMatchObject({ state: 'ok', driverVersion: '470.256.02' });
  });

  it('without nvidia-smi, falls back to /proc/driver/nvidia/version', async () => {
    const smi = new NvidiaSmi({ env: noNvidiaSmiEnv() });
    expect(await readNvidiaDriver(smi, NO_PROC)).toEqual({ state: 'missing', procVersion: null });
    const proc = fixturePath('nvidia-smi', 'h100-80gb', 'proc-driver-nvidia-version.txt');
    expect(await readNvidiaDriver(smi, proc)).toEqual({ state: 'missing', procVersion: '580.159.04' });
  });

  it('kills a hung nvidia-smi instead of waiting forever', async () => {
    const smi = new NvidiaSmi({ command: 'sleep', timeoutMs: 200 });
    const result = await smi.run(['5']);
    expect(result.timedOut).toBe(true);
  });
});
