import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { ConnectedDocker } from '../../../../electron/core/docker/connect';
import type { GpuProbeResult } from '../../../../electron/core/docker/gpu-probe';
import { EnvironmentDoctor } from '../../../../electron/core/environment/environment-doctor';
import { NvidiaSmi } from '../../../../electron/core/environment/nvidia-smi';
import { fakeNvidiaSmiEnv } from '../../../helpers/fake-nvidia-smi';

// The engine as connect.ts describes it; the probe's outcome is given, so this tests how the doctor
// combines its checks (the real probe against the real engine is in tests/integration/doctor.test.ts).
const engine: ConnectedDocker = {
  docker: {} as Dockerode,
  endpoint: { source: 'system', label: '/var/run/docker.sock', host: 'unix:///var/run/docker.sock' },
  engine: {
    serverVersion: '27.3.1',
    apiVersion: '1.47',
    operatingSystem: 'Docker Desktop',
    kernelVersion: '5.15.167.4-microsoft-standard-WSL2',
    dockerRootDir: '/var/lib/docker',
    memTotalBytes: 16 * 1024 ** 3,
    runtimes: ['runc', 'nvidia'],
  },
  flavor: 'desktop',
};

function report(probe: GpuProbeResult) {
  let probes = 0;
  const doctor = new EnvironmentDoctor({
    host: async () => ({ os: 'linux', distroId: 'ubuntu', distroLike: ['debian'], wsl: true }),
    smi: new NvidiaSmi({ env: fakeNvidiaSmiEnv('compat-driver-535') }),
    procDriverPath: '/nonexistent/deit-env-test',
    findDocker: async () => engine,
    probe: async () => {
      probes += 1;
      return probe;
    },
    imageDiskNeed: async () => ({ imageReady: false, dockerRootDir: null, freeBytes: null, bytesNeeded: 14e9 }),
    dataDir: '/tmp',
    totalMemoryBytes: () => 32 * 1024 ** 3,
    freeBytes: async () => 100e9,
    now: () => new Date('2026-11-28T00:00:00Z'),
  });
  return { doctor, probes: () => probes };
}

describe('EnvironmentDoctor', () => {
  it('is GPU-ready when the probe passes, and names Docker Desktop on WSL 2', async () => {
    const result = await report({ ok: true }).doctor.check();
    expect(result).toMatchObject({ gpuReady: true, cpuFallback: false, checkedAt: '2026-11-28T00:00:00.000Z' });
    expect(result.checks.find((c) => c.id === 'docker')?.message).toMatch(/^Docker Desktop \(WSL 2\) 27\.3\.1/);
    // inside WSL the driver is the Windows one: 535.183.01 is below 551.61
    expect(result.checks.find((c) => c.id === 'driver')?.status).toBe('warning');
  });

  it('offers the CPU when the toolkit is missing', async () => {
    const result = await report({
      ok: false,
      failure: { problem: 'gpu_toolkit_missing', text: 'could not select device driver' },
    }).doctor.check();
    expect(result).toMatchObject({ gpuReady: false, cpuFallback: true });
    expect(result.checks.find((c) => c.id === 'gpu-container')?.fix?.text).toMatch(/WSL 2/);
  });

  it('lets the user try the GPU when the probe failure is not recognised, with the CPU still offered', async () => {
    const result = await report({ ok: false, failure: { problem: 'unknown', text: 'something new' } }).doctor.check();
    expect(result).toMatchObject({ gpuReady: true, cpuFallback: true });
    expect(result.checks.find((c) => c.id === 'gpu-container')?.status).toBe('warning');
  });

  it('shares one run between calls that overlap', async () => {
    const { doctor, probes } = report({ ok: true });
    const [a, b] = await Promise.all([doctor.check(), doctor.check()]);
    expect(a).toBe(b);
    expect(probes()).toBe(1);
  });
});
