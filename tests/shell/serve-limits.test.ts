import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCore, type StudioCore } from '../../electron/core/app-core';
import { DEFAULT_LIMITS } from '../../electron/serve/limits';
import { startServer, type RunningServer } from '../../electron/serve/server';

// Serve mode's caps, over real sockets: request bodies (413, connection closed), open connections and
// event streams (503 with the fix). One server with the default limits, one with small ones.

const TOKEN = 'test-token-limits-0123456789';
const MIB = 1024 * 1024;
let core: StudioCore;
let server: RunningServer;
let small: RunningServer;

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-serve-limits-'));
  fs.writeFileSync(path.join(dataDir, 'index.html'), '<!doctype html><title>DeiT Studio</title>');
  core = await createCore({ shell: 'serve', version: '9.9.9', dataDir, trainerDir: dataDir, background: false });
  server = await startServer({ core, staticDir: dataDir, token: TOKEN, host: '127.0.0.1', port: 0 });
  small = await startServer({
    core,
    staticDir: dataDir,
    token: TOKEN,
    host: '127.0.0.1',
    port: 0,
    limits: { maxConnections: 4, maxEventClients: 2 },
  });
});

afterAll(async () => {
  await server.close();
  await small.close();
  await core.close();
});

interface RawReply {
  /** Everything the server sent before the connection closed. */
  text: string;
  status: number;
  json: unknown;
}

/**
 * Sends a request on a raw socket and waits until the server closes the connection (the promise
 * never settles when the server keeps it open — the test's timeout then fails it). The body is
 * written in 1 MiB pieces, as a client streaming a large upload would; write errors after the
 * server's answer (it closed while we were still sending) are expected.
 */
function rawUntilClosed(port: number, head: string, body?: { size: number; chunked: boolean }): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const [, status = '0'] = /^HTTP\/1\.1 (\d+)/.exec(text) ?? [];
      const payload = text.slice(text.indexOf('\r\n\r\n') + 4);
      resolve({ text, status: Number(status), json: payload ? JSON.parse(payload) : null });
    });
    socket.write(head);
    if (!body) return;
    const piece = Buffer.alloc(MIB, 0x20);
    for (let sent = 0; sent < body.size && !socket.destroyed; sent += MIB) {
      socket.write(
        body.chunked ? Buffer.concat([Buffer.from(`${MIB.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece,
      );
    }
  });
}

function callHead(port: number, extra: string): string {
  return (
    `POST /api/call/app.info HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
    `Content-Type: application/json\r\n${extra}\r\n`
  );
}

describe('serve mode: request bodies over the limit', () => {
  it('answers a declared 17 MiB body with 413 in the JSON error shape, and closes the socket', async () => {
    const reply = await rawUntilClosed(server.port, callHead(server.port, `Content-Length: ${17 * MIB}\r\n`), {
      size: 17 * MIB,
      chunked: false,
    });
    expect(reply.status).toBe(413);
    expect(reply.text.toLowerCase()).toContain('connection: close');
    expect(reply.json).toMatchObject({
      ok: false,
      error: { kind: 'validation', message: expect.stringMatching(/1 MiB/) },
    });
  });

  it('stops reading a streamed (chunked) body once it passes the limit: 413 and the socket closes', async () => {
    const reply = await rawUntilClosed(server.port, callHead(server.port, 'Transfer-Encoding: chunked\r\n'), {
      size: 17 * MIB,
      chunked: true,
    });
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  it('still answers a body at the limit', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes - 20) });
    expect(body.length).toBeLessThanOrEqual(DEFAULT_LIMITS.maxBodyBytes);
    const reply = await fetch(`http://127.0.0.1:${server.port}/api/call/app.info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body,
    });
    // app.info takes no input: a validation answer proves the whole body was read and parsed.
    expect(reply.status).not.toBe(413);
  });
});

/** A connection that stays open: a keep-alive request answered 200 proves the server counted it. */
async function openConnection(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\r\n\r\n')) resolve();
    });
    socket.once('close', () => reject(new Error(`closed: ${text}`)));
    socket.write(`HEAD / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
  });
  return socket;
}

function connections(running: RunningServer): Promise<number> {
  return new Promise((resolve, reject) =>
    running.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

describe('serve mode: connection and event-stream caps', () => {
  it('has defaults that leave room for many tabs', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxConnections: 128, maxEventClients: 32, maxBodyBytes: MIB });
  });

  it('answers connections past the cap with 503 and the fix, then accepts again once one closes', async () => {
    const open = await Promise.all([1, 2, 3, 4].map(() => openConnection(small.port)));
    const refused = await rawUntilClosed(small.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\n\r\n`);
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({
      ok: false,
      error: { kind: 'busy', message: expect.stringContaining('(4)'), fix: expect.stringMatching(/Close .*tabs/) },
    });
    open[0]!.destroy();
    const again = await vi.waitFor(() => openConnection(small.port), { timeout: 5000, interval: 50 });
    for (const socket of [...open, again]) socket.destroy();
    // The next test starts from no open connection.
    await vi.waitFor(async () => expect(await connections(small)).toBe(0), { timeout: 5000, interval: 50 });
  });

  it('refuses event streams past the cap with 503 and the fix, and accepts one again after a close', async () => {
    const streams: http.ClientRequest[] = [];
    const openStream = () =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.get(
          {
            host: '127.0.0.1',
            port: small.port,
            path: '/api/events',
            agent: false,
            headers: { host: `127.0.0.1:${small.port}`, authorization: `Bearer ${TOKEN}` },
          },
          (res) => {
            if (res.statusCode === 200) return resolve({ status: 200, body: '' });
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        streams.push(req);
      });
    expect((await openStream()).status).toBe(200);
    expect((await openStream()).status).toBe(200);
    const third = await openStream();
    expect(third.status).toBe(503);
    expect(JSON.parse(third.body)).toMatchObject({
      ok: false,
      error: { kind: 'busy', message: expect.stringContaining('(2 event streams)'), fix: expect.any(String) },
    });
    streams[0]!.destroy();
    await vi.waitFor(async () => expect((await openStream()).status).toBe(200), { timeout: 5000, interval: 50 });
    for (const req of streams) req.destroy();
  });
});
