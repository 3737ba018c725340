import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type SshTarget } from '../../electron/contract';
import { SshTransport } from '../../electron/core/engines/ssh-transport';
import { startSshServer, type SshServer } from '../helpers/ssh-server';

// The SSH transport against a real OpenSSH server on loopback forwarding to the real test engine.
let server: SshServer;
let home: string;
const transports: SshTransport[] = [];

function transport(target: Partial<SshTarget> = {}, retryForMs = 10_000): SshTransport {
  const t = new SshTransport({
    target: { user: server.user, host: '127.0.0.1', port: server.port, keyPath: server.userKeyPath, ...target },
    hostKey: { algorithm: 'ssh-ed25519', fingerprint: server.hostKeyFingerprint },
    login: { homedir: home, env: {} },
    retryForMs,
  });
  transports.push(t);
  return t;
}

beforeAll(async () => {
  server = await startSshServer();
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-ssh-home-'));
});

afterAll(async () => {
  for (const t of transports) await t.close();
  await server?.stop();
  await fs.rm(home, { recursive: true, force: true });
});

describe('the SSH transport to a Docker Engine', () => {
  it('answers docker version through SSH', async () => {
    const t = transport();
    const version = await t.docker().version();
    expect(version.ApiVersion).toMatch(/^1\.\d+$/);
  });

  it('serves 16 concurrent requests on one pool (more than one connection carries them)', async () => {
    const t = transport();
    const results = await Promise.all(Array.from({ length: 16 }, () => t.docker().ping()));
    expect(results.map(String)).toEqual(Array(16).fill('OK'));
    // All 16 ask for a channel before any answer: 8 per connection, so two connections.
    expect(t.stats().map((c) => c.capacity)).toEqual([8, 8]);
  });

  it('opens another connection when the server allows fewer sessions than 8 (MaxSessions 3)', async () => {
    const small = await startSshServer({ maxSessions: 3 });
    try {
      const t = new SshTransport({
        target: { user: small.user, host: '127.0.0.1', port: small.port, keyPath: small.userKeyPath },
        hostKey: { algorithm: 'ssh-ed25519', fingerprint: small.hostKeyFingerprint },
        login: { homedir: home, env: {} },
      });
      transports.push(t);
      const results = await Promise.all(Array.from({ length: 12 }, () => t.docker().ping()));
      expect(results.map(String)).toEqual(Array(12).fill('OK'));
      expect(Math.min(...t.stats().map((c) => c.capacity))).toBeLessThanOrEqual(3);
      await t.close();
    } finally {
      await small.stop();
    }
  });

  it('reconnects after the server drops every connection', async () => {
    const t = transport();
    await t.docker().ping();
    expect(await server.killSessions()).toBeGreaterThan(0);
    const version = await t.docker().version();
    expect(version.ApiVersion).toMatch(/^1\./);
  });

  it('fails with a typed error while the server is down, and works again once it is back', async () => {
    const t = transport({}, 1500);
    await t.docker().ping();
    const { port, dir } = server;
    await server.stop();
    const error = (await t
      .docker()
      .ping()
      .catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.kind).toBe('ssh_unreachable');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    server = await startSshServer({ port, dir }); // same port, same host key
    expect(String(await t.docker().ping())).toBe('OK');
  });

  it('refuses a server whose host key differs from the accepted one, before logging in', async () => {
    const t = new SshTransport({
      target: { user: server.user, host: '127.0.0.1', port: server.port, keyPath: server.userKeyPath },
      hostKey: { algorithm: 'ssh-ed25519', fingerprint: `SHA256:${'A'.repeat(43)}` },
      login: { homedir: home, env: {} },
    });
    transports.push(t);
    const error = (await t
      .docker()
      .ping()
      .catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.kind).toBe('ssh_host_key');
    expect(error.message).toContain(server.hostKeyFingerprint);
  });
});
