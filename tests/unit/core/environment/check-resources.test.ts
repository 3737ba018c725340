import { describe, expect, it } from 'vitest';
import { checkGpuContainer } from '../../../../electron/core/environment/checks/check-gpu-container';
import { checkDisk, checkMemory } from '../../../../electron/core/environment/checks/check-resources';

const host = { os: 'linux' as const, distroId: 'debian', distroLike: [], wsl: false };

describe('checkDisk', () => {
  it('blocks when the image will not fit where Docker keeps images, saying how much to free', () => {
    const check = checkDisk(
      { imageReady: false, dockerRootDir: '/var/lib/docker', freeBytes: 5e9, bytesNeeded: 14.3e9 },
      { dir: '/data', freeBytes: 50e9 },
    );
    expect(check.status).toBe('blocking');
    expect(check.message).toBe(
      'The training image needs about 14 GB where Docker keeps images (/var/lib/docker), but only 5.0 GB is free.',
    );
    expect(check.fix?.text).toMatch(/Free at least 9.3 GB/);
  });

  it('warns when runs are short of space, and is ok otherwise', () => {
    expect(checkDisk(null, { dir: '/data', freeBytes: 3e9 }).status).toBe('warning');
    const ok = checkDisk(
      { imageReady: true, dockerRootDir: '/var/lib/docker', freeBytes: 5e9, bytesNeeded: 0 },
      { dir: '/data', freeBytes: 50e9 },
    );
    expect(ok).toMatchObject({
      status: 'ok',
      message: '50 GB is free for runs in /data. The training image is already in place.',
    });
  });
});

describe('checkMemory', () => {
  it('warns under 8 GB, and about a small Docker Desktop VM', () => {
    expect(checkMemory(4 * 1024 ** 3, null, false).status).toBe('warning');
    expect(checkMemory(32 * 1024 ** 3, 4 * 1024 ** 3, true).fix?.text).toMatch(/Settings → Resources/);
    expect(checkMemory(32 * 1024 ** 3, 4 * 1024 ** 3, false)).toMatchObject({
      status: 'ok',
      message: '32 GB of memory.',
    });
  });
});

describe('checkGpuContainer', () => {
  it('blocks with the install command when the toolkit is missing', () => {
    const check = checkGpuContainer(
      {
        ok: false,
        failure: {
          problem: 'gpu_toolkit_missing',
          text: 'could not select device driver "" with capabilities: [[gpu]]',
        },
      },
      { host, flavor: 'engine' },
    );
    expect(check.status).toBe('blocking');
    expect(check.fix?.command).toMatch(/nvidia-container-toolkit/);
  });

  it('only warns when the failure is not recognised', () => {
    expect(
      checkGpuContainer({ ok: false, failure: { problem: 'unknown', text: '?' } }, { host, flavor: 'engine' }).status,
    ).toBe('warning');
  });

  it('skips with a reason', () => {
    expect(checkGpuContainer('no-driver', { host, flavor: 'engine' })).toMatchObject({
      status: 'skipped',
      message: 'Checked once the NVIDIA driver works.',
    });
  });
});
