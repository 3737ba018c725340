import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type SshTarget } from '../../electron/contract';
import { SshTransport } from '../../electron/core/engines/ssh-transport';
import { tarArchive } from '../../electron/core/docker/tar-archive';
import { TWIN_IMAGE } from '../helpers/docker-env';
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

  it('carries what runs use: create, attach, logs, wait, putArchive/getArchive, exec, through SSH', async () => {
    const remote = transport().docker();
    const container = await remote.createContainer({
      Image: TWIN_IMAGE,
      name: `deit-ssh-test-${process.pid}-${Date.now()}`,
      Cmd: ['sh', '-c', 'echo hello; while [ ! -f /tmp/go ]; do sleep 0.2; done; cat /tmp/in/file.txt; echo bye'],
      Labels: { 'deit-studio.test': 'engines-ssh' },
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      // A file put in before start, as a run's config.json is (a tar stream through the channel).
      const tar = await tarArchive([{ name: 'in/' }, { name: 'in/file.txt', content: 'through ssh\n' }]);
      await container.putArchive(tar, { path: '/tmp' });
      const attached = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
      const chunks: Buffer[] = [];
      attached.on('data', (chunk: Buffer) => chunks.push(chunk));
      const ended = new Promise((resolve) => attached.on('end', resolve));
      await container.start();
      const exec = await container.exec({ Cmd: ['touch', '/tmp/go'], AttachStdout: true, AttachStderr: true });
      const execStream = await exec.start({ hijack: true, stdin: false });
      await new Promise((resolve) => execStream.on('end', resolve).resume());
      expect((await container.wait()).StatusCode).toBe(0);
      await ended;
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text).toContain('hello');
      expect(text).toContain('through ssh');
      expect(text).toContain('bye');
      const logs = (await container.logs({ stdout: true, follow: false })) as Buffer;
      expect(logs.toString('utf8')).toContain('through ssh');
      const back = (await container.getArchive({ path: '/tmp/in/file.txt' })) as NodeJS.ReadableStream;
      const bytes: Buffer[] = [];
      for await (const chunk of back as AsyncIterable<Buffer>) bytes.push(chunk);
      expect(Buffer.concat(bytes).toString('latin1')).toContain('through ssh');
    } finally {
      await container.remove({ force: true });
    }
  });

  it('serves 16 concurrent requests on one pool (more than one connection carries them)', async () => {
    const t = transport();
    const results = await Promise.all(Array.from({ length: 16 }, () => t.docker().ping()));
    expect(results.map(String)).toEqual(Array(16).fill('OK'));
    // All 16 ask for a channel before any answer: 8 per connection, so two connections.
    expect(t.stats().map((c) => c.capacity)).toEqual([8, 8]);
  });

  it('closes a spare connection once it is idle, and keeps one', async () => {
    const t = new SshTransport({
      target: { user: server.user, host: '127.0.0.1', port: server.port, keyPath: server.userKeyPath },
      hostKey: { algorithm: 'ssh-ed25519', fingerprint: server.hostKeyFingerprint },
      login: { homedir: home, env: {} },
      idleCloseMs: 200,
    });
    transports.push(t);
    // Nine long-lived streams (a channel each, 8 per connection) need a second connection, however
    // slow the machine: short requests could finish before the next starts and never overlap.
    const streams = (await Promise.all(Array.from({ length: 9 }, () => t.docker().getEvents()))) as unknown as Array<{
      destroy(): void;
    }>;
    expect(t.stats()).toHaveLength(2);
    for (const stream of streams) stream.destroy();
    while (t.stats().length > 1) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 400)); // past another idle period: the last one stays
    expect(t.stats()).toHaveLength(1);
    expect(String(await t.docker().ping())).toBe('OK');
  });

  it('queues requests beyond the channels of every connection, and says so when none frees in time', async () => {
    const small = (queueTimeoutMs?: number) => {
      const t = new SshTransport({
        target: { user: server.user, host: '127.0.0.1', port: server.port, keyPath: server.userKeyPath },
        hostKey: { algorithm: 'ssh-ed25519', fingerprint: server.hostKeyFingerprint },
        login: { homedir: home, env: {} },
        channelsPerConnection: 2,
        maxConnections: 1,
        ...(queueTimeoutMs ? { queueTimeoutMs } : {}),
      });
      transports.push(t);
      return t;
    };
    // Four requests on two channels: the last two wait their turn.
    const queued = small();
    const results = await Promise.all(Array.from({ length: 4 }, () => queued.docker().ping()));
    expect(results.map(String)).toEqual(Array(4).fill('OK'));
    // Two long-lived channels (event streams) hold the only connection: a third request gives up, typed.
    const held = small(300);
    const streams = (await Promise.all([held.docker().getEvents(), held.docker().getEvents()])) as unknown as Array<{
      destroy(): void;
    }>;
    const error = (await held
      .docker()
      .ping()
      .catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.kind).toBe('busy');
    for (const stream of streams) stream.destroy();
    while (held.stats()[0]!.channels > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(String(await held.docker().ping())).toBe('OK');
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

  it('a request in flight when the connection drops fails with ssh_unreachable (not a clean end)', async () => {
    const remote = transport().docker();
    const container = await remote.createContainer({
      Image: TWIN_IMAGE,
      name: `deit-ssh-test-wait-${process.pid}-${Date.now()}`,
      Cmd: ['sleep', '60'],
      Labels: { 'deit-studio.test': 'engines-ssh' },
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      await container.start();
      const waiting = container.wait().catch((e: unknown) => e);
      await container.inspect(); // one connection opens channels in order: the wait's channel is open by now
      expect(await server.killSessions()).toBeGreaterThan(0);
      const error = (await waiting) as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.kind).toBe('ssh_unreachable');
    } finally {
      await container.remove({ force: true });
    }
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
