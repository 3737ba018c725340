import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type StudioCore } from '../../electron/core/app-core';
import { startServer, type RunningServer } from '../../electron/serve/server';

const TOKEN = 'test-token-0123456789abcdef';
let core: StudioCore;
let server: RunningServer;
let staticDir: string;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request, so Host and Origin can be set freely (fetch forbids that). */
function request(options: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-serve-'));
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-static-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>DeiT Studio</title>');
  core = await createCore({ shell: 'serve', version: '9.9.9', dataDir, trainerDir: dataDir, background: false });
  server = await startServer({ core, staticDir, token: TOKEN, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server.close();
  await core.close();
});

describe('serve mode: the token', () => {
  it('refuses API calls without a token, or with a wrong one', async () => {
    const none = await request({
      method: 'POST',
      path: '/api/call/app.info',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
    const wrong = await request({
      method: 'POST',
      path: '/api/call/app.info',
      headers: { authorization: 'Bearer nope-nope-nope-nope', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    const events = await request({ path: '/api/events' });
    expect(events.status).toBe(401);
  });

  it('answers with the token, and prints it in a ready-to-open URL', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
    const reply = await request({ method: 'POST', path: '/api/call/app.info', headers: auth, body: '{}' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({
      ok: true,
      value: { name: 'DeiT Studio', version: '9.9.9', shell: 'serve' },
    });
  });

  it('serves the printed address as the app, with no cookie: the page keeps the token itself', async () => {
    const open = await request({ path: `/?token=${TOKEN}` });
    expect(open.status).toBe(200);
    expect(open.body).toContain('<title>DeiT Studio</title>');
    expect(open.headers['set-cookie']).toBeUndefined();
    expect(open.headers['referrer-policy']).toBe('no-referrer');
    // A cookie carrying the token (what earlier versions set) authorises nothing.
    const reply = await request({
      method: 'POST',
      path: '/api/call/app.info',
      headers: { cookie: `deit_studio_token_${server.port}=${TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reply.status).toBe(401);
  });
});

describe('serve mode: Host and Origin (DNS rebinding, cross-site requests)', () => {
  it('rejects a foreign Host header even with the token', async () => {
    const reply = await request({
      method: 'POST',
      path: '/api/call/app.info',
      headers: { ...auth, host: `evil.example:${server.port}` },
      body: '{}',
    });
    expect(reply.status).toBe(403);
    const page = await request({ path: '/', headers: { host: 'evil.example' } });
    expect(page.status).toBe(403);
  });

  it('rejects a foreign Origin and accepts our own', async () => {
    const foreign = await request({
      method: 'POST',
      path: '/api/call/app.info',
      headers: { ...auth, origin: 'http://evil.example' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    const own = await request({
      method: 'POST',
      path: '/api/call/app.info',
      headers: { ...auth, origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` },
      body: '{}',
    });
    expect(own.status).toBe(200);
  });
});

describe('serve mode: malformed requests get typed errors', () => {
  it('rejects a payload that breaks the contract, naming the field', async () => {
    const reply = await request({
      method: 'POST',
      path: '/api/call/runs.log',
      headers: auth,
      body: JSON.stringify({ id: '../../etc', limit: -3 }),
    });
    expect(reply.status).toBe(400);
    const body = JSON.parse(reply.body);
    expect(body).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(body.error.message).toMatch(/id|limit/);
  });

  it('rejects invalid JSON, non-JSON content, unknown calls, wrong methods and huge bodies', async () => {
    expect((await request({ method: 'POST', path: '/api/call/app.info', headers: auth, body: '{nope' })).status).toBe(
      400,
    );
    expect(
      (
        await request({
          method: 'POST',
          path: '/api/call/app.info',
          headers: { authorization: auth.authorization, 'content-type': 'text/plain' },
          body: '{}',
        })
      ).status,
    ).toBe(415);
    const unknown = await request({ method: 'POST', path: '/api/call/nothing.here', headers: auth, body: '{}' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect((await request({ method: 'GET', path: '/api/call/app.info', headers: auth })).status).toBe(405);
    expect(
      (await request({ method: 'POST', path: '/api/call/app.info', headers: auth, body: 'x'.repeat(2 * 1024 * 1024) }))
        .status,
    ).toBe(413);
  });
});

describe('serve mode: static files', () => {
  it('serves the app with strict security headers and never a file outside the build folder', async () => {
    const page = await request({ path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('DeiT Studio');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    for (const p of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd']) {
      const reply = await request({ path: p });
      expect(reply.body).not.toContain('root:');
    }
  });
});

describe('serve mode: the event stream', () => {
  /** Reads SSE messages from the server until `count` arrived. */
  function readEvents(
    count: number,
    headers: Record<string, string> = {},
  ): Promise<Array<{ id: number; event: string; data: unknown }>> {
    return new Promise((resolve, reject) => {
      const got: Array<{ id: number; event: string; data: unknown }> = [];
      const req = http.get(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${server.port}`, authorization: auth.authorization, ...headers },
        },
        (res) => {
          expect(res.headers['content-type']).toMatch(/text\/event-stream/);
          let buffer = '';
          res.on('data', (chunk: Buffer) => {
            buffer += chunk.toString();
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const fields = Object.fromEntries(
                block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
              );
              if (fields.event)
                got.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data ?? 'null') });
              if (got.length >= count) {
                req.destroy();
                resolve(got);
              }
            }
          });
        },
      );
      req.on('error', (e) => (got.length >= count ? undefined : reject(e)));
      setTimeout(() => reject(new Error(`only ${got.length} of ${count} events arrived`)), 5000);
    });
  }

  it('delivers events in order, numbered, and replays missed ones after Last-Event-ID', async () => {
    const firstBatch = readEvents(50);
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 50; i++) core.bus.emit('run.log', { runId: 'r1', lines: [`line ${i}`] });
    const events = await firstBatch;
    expect(events.map((e) => (e.data as { lines: string[] }).lines[0])).toEqual(
      Array.from({ length: 50 }, (_, i) => `line ${i}`),
    );
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // A client that saw up to the 40th event reconnects and gets exactly the last ten.
    const lastSeen = events[39]!.id;
    const replay = await readEvents(10, { 'last-event-id': String(lastSeen) });
    expect(replay.map((e) => (e.data as { lines: string[] }).lines[0])).toEqual(
      Array.from({ length: 10 }, (_, i) => `line ${40 + i}`),
    );
  });
});
