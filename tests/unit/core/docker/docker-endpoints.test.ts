import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dockerEndpoints, readCurrentContext } from '../../../../electron/core/docker/docker-endpoints';

let home: string;

/** Writes a Docker CLI context the way `docker context create` stores it. */
async function writeContext(name: string, host: string, current = true): Promise<void> {
  const id = createHash('sha256').update(name).digest('hex');
  const dir = path.join(home, '.docker', 'contexts', 'meta', id);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(
    path.join(dir, 'meta.json'),
    JSON.stringify({ Name: name, Metadata: { Description: '' }, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }),
  );
  if (current) await fs.writeFile(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: {}, currentContext: name }));
}

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-env-test-home-'));
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

describe('readCurrentContext', () => {
  it("follows config.json's currentContext to meta/<sha256 of name>/meta.json", async () => {
    await writeContext('desktop-linux', `unix://${home}/.docker/desktop/docker.sock`);
    expect(await readCurrentContext(path.join(home, '.docker'), {})).toEqual({
      name: 'desktop-linux',
      host: `unix://${home}/.docker/desktop/docker.sock`,
    });
  });

  it('lets DOCKER_CONTEXT override config.json', async () => {
    await writeContext('remote', 'tcp://10.0.0.5:2375', false);
    await writeContext('desktop-linux', 'unix:///x.sock');
    expect((await readCurrentContext(path.join(home, '.docker'), { DOCKER_CONTEXT: 'remote' }))?.host).toBe('tcp://10.0.0.5:2375');
  });

  it('returns null for "default", a missing config and a context that is named but not stored', async () => {
    expect(await readCurrentContext(path.join(home, '.docker'), {})).toBeNull();
    await fs.mkdir(path.join(home, '.docker'), { recursive: true });
    await fs.writeFile(path.join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'default' }));
    expect(await readCurrentContext(path.join(home, '.docker'), {})).toBeNull();
    await fs.writeFile(path.join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'gone' }));
    expect(await readCurrentContext(path.join(home, '.docker'), {})).toBeNull();
  });
});

describe('dockerEndpoints', () => {
  it('tries DOCKER_HOST, then the CLI context, then the Linux sockets (engine, rootless, Desktop)', async () => {
    await writeContext('desktop-linux', `unix://${home}/.docker/desktop/docker.sock`);
    const endpoints = await dockerEndpoints({ env: { DOCKER_HOST: 'unix:///custom.sock', XDG_RUNTIME_DIR: '/run/user/1000' }, homedir: home, platform: 'linux' });
    expect(endpoints.map((e) => [e.source, e.host])).toEqual([
      ['env', 'unix:///custom.sock'],
      ['desktop', `unix://${home}/.docker/desktop/docker.sock`],
      ['system', 'unix:///var/run/docker.sock'],
      ['rootless', 'unix:///run/user/1000/docker.sock'],
    ]);
  });

  it('uses /run/user/<uid> for rootless Docker when XDG_RUNTIME_DIR is unset', async () => {
    const endpoints = await dockerEndpoints({ env: {}, homedir: home, platform: 'linux', uid: 1000 });
    expect(endpoints.map((e) => e.host)).toContain('unix:///run/user/1000/docker.sock');
  });

  it("uses Docker Desktop's sockets on macOS and its named pipes on Windows", async () => {
    const mac = await dockerEndpoints({ env: {}, homedir: home, platform: 'darwin' });
    expect(mac[0]).toMatchObject({ source: 'desktop', host: `unix://${home}/.docker/run/docker.sock` });
    const win = await dockerEndpoints({ env: {}, homedir: home, platform: 'win32' });
    expect(win.map((e) => e.host)).toEqual(['npipe:////./pipe/docker_engine', 'npipe:////./pipe/dockerDesktopLinuxEngine']);
  });

  it('keeps TLS material of a context and of DOCKER_CERT_PATH', async () => {
    await writeContext('secure', 'tcp://build-box:2376');
    const tlsDir = path.join(home, '.docker', 'contexts', 'tls', createHash('sha256').update('secure').digest('hex'), 'docker');
    await fs.mkdir(tlsDir, { recursive: true });
    await fs.writeFile(path.join(tlsDir, 'ca.pem'), 'x');
    const [context] = await dockerEndpoints({ env: {}, homedir: home, platform: 'linux' });
    expect(context).toMatchObject({ source: 'context', tlsDir });
    const [env] = await dockerEndpoints({ env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, homedir: home, platform: 'linux' });
    expect(env).toMatchObject({ host: 'tcp://h:2376', tlsDir: '/certs' });
  });

  it('lists each socket once', async () => {
    const endpoints = await dockerEndpoints({ env: { DOCKER_HOST: 'unix:///var/run/docker.sock' }, homedir: home, platform: 'linux', uid: 0 });
    expect(endpoints.filter((e) => e.host === 'unix:///var/run/docker.sock')).toHaveLength(1);
  });
});
