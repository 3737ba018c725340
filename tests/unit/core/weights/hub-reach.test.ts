import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstHop, hubReach, tryConnect } from '../../../../electron/core/weights/hub-reach';
import { effectiveNetwork } from '../../../../electron/core/network/network-settings';

const servers: net.Server[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A real local TCP server (a stand-in proxy) and its port. */
async function listening(): Promise<number> {
  const server = net.createServer((socket) => socket.end());
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

describe('firstHop (where the weights download connects first)', () => {
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

describe('tryConnect and hubReach', () => {
  it('reach a listening proxy, and say why a closed port or an unknown name is not reachable', async () => {
    expect(await tryConnect('127.0.0.1', await listening())).toBeNull();
    expect(await tryConnect('127.0.0.1', await closedPort())).toBe('ECONNREFUSED');
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(await tryConnect('no-such-host.invalid', 443));
  });

  it('follows the proxy of the app’s environment', async () => {
    const port = await listening();
    expect(await hubReach(dataDir(), { HTTPS_PROXY: `http://127.0.0.1:${port}` })).toEqual({
      reachable: true,
      target: `127.0.0.1:${port}`,
    });
    const closed = await closedPort();
    const refused = await hubReach(dataDir(), { HTTPS_PROXY: `http://127.0.0.1:${closed}` });
    expect(refused).toMatchObject({ reachable: false, target: `127.0.0.1:${closed}` });
    expect(refused.why).toBe(`127.0.0.1:${closed} cannot be reached: it refused the connection`);
  });
});
