import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerConnectError, findDocker } from '../../../../electron/core/docker/connect';
import type { DockerEndpoint } from '../../../../electron/core/docker/docker-endpoints';
import type { HostPlatform } from '../../../../electron/core/environment/host-platform';

const ubuntu: HostPlatform = { os: 'linux', distroId: 'ubuntu', distroLike: ['debian'], wsl: false };
let dir: string;
const servers: Array<http.Server | net.Server> = [];

const endpoint = (name: string, source: DockerEndpoint['source'] = 'system'): DockerEndpoint => ({
  source,
  label: name,
  host: `unix://${path.join(dir, name)}`,
});

/** A socket file left behind by a process that died: connecting gives ECONNREFUSED. */
async function staleSocket(name: string): Promise<void> {
  const socket = path.join(dir, name);
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`]);
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
}

async function listen(server: http.Server | net.Server, name: string): Promise<void> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path.join(dir, name), resolve));
}

async function failure(endpoints: DockerEndpoint[], timeoutMs = 2000): Promise<DockerConnectError> {
  const error = await findDocker({ endpoints, host: ubuntu, timeoutMs }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DockerConnectError);
  return error as DockerConnectError;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-env-test-sock-'));
});
afterAll(async () => {
  for (const server of servers) server.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('findDocker failures (real sockets in a temp folder)', () => {
  it('says Docker is not running when no socket exists, with the command to start it', async () => {
    const error = await failure([endpoint('none.sock')]);
    expect(error.problem).toBe('daemon_missing');
    expect(error.kind).toBe('docker_unreachable');
    expect(error.fix).toContain('sudo systemctl enable --now docker');
    expect(error.detail).toContain('connect ENOENT');
  });

  it('says Docker stopped when the socket has no listener', async () => {
    await staleSocket('stale.sock');
    const error = await failure([endpoint('none.sock'), endpoint('stale.sock')]);
    expect(error.problem).toBe('daemon_stopped');
    expect(error.fix).toContain('sudo systemctl restart docker');
    expect(error.detail).toMatch(/none\.sock.*ENOENT.*stale\.sock.*ECONNREFUSED/);
  });

  it('gives up on an engine that accepts but never answers', async () => {
    await listen(net.createServer(() => undefined), 'silent.sock');
    const error = await failure([endpoint('silent.sock')], 300);
    expect(error.problem).toBe('daemon_unresponsive');
  });

  it('rejects an engine older than API 1.40 (a stand-in: no such engine can be installed here)', async () => {
    const old = http.createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.endsWith('/_ping')) return void res.end('OK');
      if (req.url?.endsWith('/version')) return void res.end(JSON.stringify({ Version: '18.09.9', ApiVersion: '1.39', KernelVersion: '5.4.0' }));
      res.end(JSON.stringify({ OperatingSystem: 'Ubuntu 18.04', KernelVersion: '5.4.0' }));
    });
    await listen(old, 'old.sock');
    const error = await failure([endpoint('old.sock')]);
    expect(error.problem).toBe('engine_too_old');
    expect(error.message).toMatch(/19\.03/);
    expect(error.detail).toMatch(/18\.09\.9.*1\.39/);
  });

  it("words the fix for Docker Desktop when that is the socket that failed", async () => {
    const error = await failure([endpoint('desktop.sock', 'desktop')]);
    expect(error.fixContext.flavor).toBe('desktop');
    expect(error.fix).toMatch(/Docker Desktop/);
  });
});
