import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageFamily, parseOsRelease, readHostPlatform } from '../../../../electron/core/environment/host-platform';

async function withOsRelease(text: string, release = '6.1.0-28-amd64') {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-env-test-os-'));
  try {
    await fs.writeFile(path.join(dir, 'os-release'), text);
    return await readHostPlatform({ platform: 'linux', release, osReleasePath: path.join(dir, 'os-release') });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe('readHostPlatform', () => {
  it('reads Ubuntu as an apt family distribution', async () => {
    const host = await withOsRelease('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n');
    expect(host).toEqual({ os: 'linux', distroId: 'ubuntu', distroLike: ['debian'], wsl: false });
    expect(packageFamily(host)).toBe('apt');
  });

  it('reads Rocky Linux as dnf through ID_LIKE', async () => {
    expect(packageFamily(await withOsRelease('ID="rocky"\nID_LIKE="rhel centos fedora"\n'))).toBe('dnf');
  });

  it('spots WSL 2 by its kernel release', async () => {
    expect((await withOsRelease('ID=ubuntu\n', '5.15.167.4-microsoft-standard-WSL2')).wsl).toBe(true);
  });

  it('reads this machine without failing', async () => {
    const host = await readHostPlatform();
    expect(host.os).toBe(process.platform === 'linux' ? 'linux' : host.os);
  });

  it('has no distribution off Linux', async () => {
    expect(await readHostPlatform({ platform: 'darwin' })).toEqual({
      os: 'darwin',
      distroId: null,
      distroLike: [],
      wsl: false,
    });
  });
});

describe('parseOsRelease', () => {
  it('unquotes values and ignores comments', () => {
    expect(parseOsRelease('# c\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n')).toEqual({
      PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)',
      ID: 'debian',
    });
  });
});
