import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/contract';
import type { ConnectedDocker } from '../../../../electron/core/docker/connect';
import type { GpuProbeResult } from '../../../../electron/core/docker/gpu-probe';
import { EnvironmentDoctor } from '../../../../electron/core/environment/environment-doctor';
import { NvidiaSmi } from '../../../../electron/core/environment/nvidia-smi';

// The doctor on a server's engine (remote-doctor.ts): what the engine says replaces what this computer
// would say. The laptop here is a Mac without nvidia-smi; the server has GPUs behind Docker.
const server: ConnectedDocker = {
  docker: {} as Dockerode,
  endpoint: { source: 'env', label: 'ada@gpu1.lab', host: 'ssh://ada@gpu1.lab' },
  engine: {
    serverVersion: '27.3.1',
    apiVersion: '1.47',
    operatingSystem: 'Ubuntu 24.04.1 LTS',
    kernelVersion: '6.8.0-49-generic',
    dockerRootDir: '/data/docker',
    memTotalBytes: 256 * 1024 ** 3,
    runtimes: ['runc', 'nvidia'],
  },
  flavor: 'engine',
};
const ENGINE = { id: 'ssh-0123456789ab', kind: 'ssh' as const, label: 'ada@gpu1.lab' };

function doctor(
  found: () => Promise<ConnectedDocker>,
  probe: GpuProbeResult,
  serverFree: () => Promise<number | null> = async () => 900e9,
) {
  const asked: string[] = [];
  const doctor = new EnvironmentDoctor({
    host: async () => ({ os: 'darwin', distroId: null, distroLike: [], wsl: false }),
    smi: new NvidiaSmi({ env: { PATH: '/nonexistent/deit-env-test' } }),
    findDocker: found,
    probe: async () => probe,
    imageDiskNeed: async () => ({
      imageReady: false,
      dockerRootDir: '/data/docker',
      freeBytes: 900e9,
      bytesNeeded: 14e9,
    }),
    dataDir: '/Users/ada/DeiT Studio',
    totalMemoryBytes: () => 8 * 1024 ** 3,
    freeBytes: async (dir) => {
      asked.push(`local ${dir}`);
      return 1e9;
    },
    serverFreeBytes: async (dir) => {
      asked.push(`server ${dir}`);
      return serverFree();
    },
    engine: () => ENGINE,
    now: () => new Date('2026-12-03T00:00:00Z'),
  });
  return { doctor, asked };
}

describe('the doctor on a server’s engine', () => {
  it('names the server, probes its GPUs from a Mac, and measures the server’s disk and memory', async () => {
    const { doctor: d, asked } = doctor(async () => server, { ok: true });
    const report = await d.check();
    expect(report.engine).toEqual(ENGINE);
    expect(report).toMatchObject({ gpuReady: true, cpuFallback: false });
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['driver', 'skipped'],
      ['docker', 'ok'],
      ['gpu-container', 'ok'],
      ['disk', 'ok'],
      ['memory', 'ok'],
    ]);
    expect(report.checks.find((c) => c.id === 'docker')?.message).toBe(
      'Docker Engine 27.3.1 (API 1.47) answers at ssh://ada@gpu1.lab.',
    );
    expect(report.checks.find((c) => c.id === 'disk')?.message).toBe(
      '900 GB is free on ada@gpu1.lab in /data/docker, where its Docker keeps images and run volumes.',
    );
    expect(report.checks.find((c) => c.id === 'memory')?.message).toBe('256 GB of memory on the server.');
    expect(asked).toEqual(['server /data/docker']); // this computer's disk is not what runs there use
  });

  it('never answers a check asked after the engine changed with a report begun for the old one', async () => {
    let engine: typeof ENGINE | { id: 'local'; kind: 'local'; label: string } = ENGINE;
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const d = new EnvironmentDoctor({
      host: async () => ({ os: 'linux', distroId: null, distroLike: [], wsl: false }),
      smi: new NvidiaSmi({ env: { PATH: '/nonexistent/deit-env-test' } }),
      findDocker: async () => server,
      probe: async () => (await slow, { ok: true }),
      imageDiskNeed: async () => ({ imageReady: true, dockerRootDir: null, freeBytes: null, bytesNeeded: 0 }),
      dataDir: '/tmp',
      freeBytes: async () => 100e9,
      serverFreeBytes: async () => 100e9,
      engine: () => engine,
      now: () => new Date('2026-12-03T00:00:00Z'),
    });
    const old = d.check();
    expect(d.check()).toBe(old); // same engine: shared
    engine = { id: 'local', kind: 'local', label: 'This computer' };
    d.invalidate();
    const fresh = d.check();
    expect(fresh).not.toBe(old);
    release();
    expect((await old).engine?.kind).toBe('ssh');
    expect((await fresh).engine?.kind).toBe('local');
    expect(d.latest?.engine?.kind).toBe('local');
  });

  it('shows an SSH error with its fix as the Docker line, and skips the GPU probe', async () => {
    const refused = new AppError('ssh_refused', 'ada@gpu1.lab refused the keys DeiT Studio tried: ssh-agent.', {
      fix: 'Add your public key with `ssh-copy-id ada@gpu1.lab`.',
    });
    const report = await doctor(() => Promise.reject(refused), { ok: true }).doctor.check();
    expect(report.checks.find((c) => c.id === 'docker')).toMatchObject({
      status: 'blocking',
      message: refused.message,
      fix: { text: refused.fix },
    });
    expect(report.checks.find((c) => c.id === 'gpu-container')?.status).toBe('skipped');
    expect(report).toMatchObject({ gpuReady: false, cpuFallback: false });
  });

  it.each([
    [
      'df fails on the server',
      () => Promise.reject(new Error('df /data/docker failed (exit code 1: Permission denied)')),
      'df /data/docker failed (exit code 1: Permission denied)',
    ],
    ['df gives nothing', async () => null, 'df /data/docker gave no answer'],
  ])(
    'says plainly when the free space is unknown (%s): a warning with the reason and a fix, never OK',
    async (_case, free, reason) => {
      const report = await doctor(async () => server, { ok: true }, free).doctor.check();
      expect(report.checks.find((c) => c.id === 'disk')).toEqual({
        id: 'disk',
        title: 'Free disk space',
        status: 'warning',
        message: `Could not read the free space on ada@gpu1.lab: ${reason}.`,
        fix: {
          text: 'Check it on the server yourself: the training image needs about 14 GB there, and each run keeps checkpoints there (up to a few GB).',
          command: 'df -h /data/docker',
        },
      });
    },
  );

  it('says the free space is unknown when the server’s Docker does not answer', async () => {
    const down = new AppError('ssh_unreachable', 'gpu1.lab does not answer on port 22.', { fix: 'Check the VPN.' });
    const report = await doctor(() => Promise.reject(down), { ok: true }).doctor.check();
    expect(report.checks.find((c) => c.id === 'disk')).toMatchObject({
      status: 'warning',
      message: 'Could not read the free space on ada@gpu1.lab: its Docker Engine does not answer (see Docker above).',
    });
  });
});
