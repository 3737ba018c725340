import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bypassesProxy, hubReach, hubRoute, tryConnect } from '../../../../electron/core/weights/hub-reach';
import { effectiveNetwork } from '../../../../electron/core/network/network-settings';

const servers: net.Server[] = [];
const dirs: string[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A real local TCP server (a stand-in proxy) and its port. */
async function listening(): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/**
 * A real local HTTP proxy's CONNECT answer: 200 for `allowed` (host:port), 403 for anything else (a
 * proxy that lets through only the package registries). Records the requests it got.
 */
async function connectProxy(allowed: string, seen: string[] = []): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.push(socket);
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      seen.push(head);
      const target = /^CONNECT (\S+) HTTP/.exec(head)?.[1];
      socket.end(target === allowed ? 'HTTP/1.1 200 Connection established\r\n\r\n' : 'HTTP/1.1 403 Forbidden\r\n\r\n');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A port nothing listens on (taken, then freed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-reach-'));
  dirs.push(dir);
  return dir;
}

const none = { dataDir: '', env: {} };

/** Where the weights download connects first (hubRoute): the proxy when it goes through one, else the hub. */
function firstHop(effective: Parameters<typeof hubRoute>[0]): { host: string; port: number } {
  const { hub, proxy } = hubRoute(effective);
  return proxy ? { host: proxy.host, port: proxy.port } : hub;
}

describe('hubRoute: where the weights download connects first', () => {
  const saved = { httpsProxy: null, httpProxy: null, noProxy: null, hfEndpoint: null };
  it('is huggingface.co:443 by default, the mirror when set, the HTTPS proxy before either', () => {
    expect(firstHop(effectiveNetwork(saved, none.env))).toEqual({ host: 'huggingface.co', port: 443 });
    expect(firstHop(effectiveNetwork({ ...saved, hfEndpoint: 'https://hf-mirror.example.com:8443' }, {}))).toEqual({
      host: 'hf-mirror.example.com',
      port: 8443,
    });
    expect(
      firstHop(
        effectiveNetwork(
          { ...saved, hfEndpoint: 'https://hf-mirror.example.com' },
          {
            HTTPS_PROXY: 'http://proxy.corp:3128',
          },
        ),
      ),
    ).toEqual({ host: 'proxy.corp', port: 3128 });
    expect(firstHop(effectiveNetwork(saved, { https_proxy: 'http://user:pw@10.0.0.1' }))).toEqual({
      host: '10.0.0.1',
      port: 80,
    });
  });
});

describe('bypassesProxy (NO_PROXY)', () => {
  it('matches names, dotted suffixes, ports and *, and nothing else', () => {
    expect(bypassesProxy('huggingface.co', 'localhost,huggingface.co')).toBe(true);
    expect(bypassesProxy('cdn.huggingface.co', '.huggingface.co')).toBe(true);
    expect(bypassesProxy('mirror.corp', 'mirror.corp:8443')).toBe(true);
    expect(bypassesProxy('anything', '*')).toBe(true);
    expect(bypassesProxy('huggingface.co', 'face.co,localhost')).toBe(false);
    expect(bypassesProxy('huggingface.co', null)).toBe(false);
  });

  it('sends a mirror named in NO_PROXY around the proxy', () => {
    const saved = { httpsProxy: null, httpProxy: null, noProxy: null, hfEndpoint: 'http://127.0.0.1:9' };
    expect(firstHop(effectiveNetwork(saved, { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '127.0.0.1' }))).toEqual(
      {
        host: '127.0.0.1',
        port: 9,
      },
    );
  });
});

describe('tryConnect and hubReach', () => {
  it('reach a listening proxy, and say why a closed port or an unknown name is not reachable', async () => {
    expect(await tryConnect('127.0.0.1', await listening())).toBeNull();
    expect(await tryConnect('127.0.0.1', await closedPort())).toBe('ECONNREFUSED');
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(await tryConnect('no-such-host.invalid', 443));
  });

  it('asks the proxy of the app’s environment for a tunnel to the hub: reachable only when the proxy agrees', async () => {
    const seen: string[] = [];
    const port = await connectProxy('huggingface.co:443', seen);
    expect(await hubReach(dataDir(), { HTTPS_PROXY: `http://user:p%40ss@127.0.0.1:${port}` })).toEqual({
      reachable: true,
      target: `127.0.0.1:${port}`,
    });
    expect(seen[0]).toContain('CONNECT huggingface.co:443 HTTP/1.1');
    expect(seen[0]).toContain(`Proxy-Authorization: Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    // A proxy that answers but refuses the hub (it lets through only the package registries): offline.
    const mirror = await hubReach(dataDir(), {
      HTTPS_PROXY: `http://127.0.0.1:${port}`,
      HF_ENDPOINT: 'https://hf-mirror.example.com',
    });
    expect(mirror).toMatchObject({ reachable: false, target: `127.0.0.1:${port}` });
    expect(mirror.why).toBe(
      `hf-mirror.example.com:443 through the proxy 127.0.0.1:${port} cannot be reached: the proxy refused to connect to it (HTTP 403)`,
    );
    // A proxy that hangs up without an answer is no route either.
    const silent = await listening();
    expect(await hubReach(dataDir(), { HTTPS_PROXY: `http://127.0.0.1:${silent}` })).toMatchObject({
      reachable: false,
    });
    const closed = await closedPort();
    const refused = await hubReach(dataDir(), { HTTPS_PROXY: `http://127.0.0.1:${closed}` });
    expect(refused).toMatchObject({ reachable: false, target: `127.0.0.1:${closed}` });
    expect(refused.why).toBe(`127.0.0.1:${closed} cannot be reached: it refused the connection`);
  });
});
