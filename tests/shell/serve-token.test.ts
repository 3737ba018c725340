import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type StudioCore } from '../../electron/core/app-core';
import { startServer, type RunningServer } from '../../electron/serve/server';

// The token travels in `Authorization: Bearer` only. Browsers send every 127.0.0.1 cookie to every
// port (another user's service behind the same SSH tunnel host name would receive it) and let other
// ports overwrite them, so the server neither sets nor reads a cookie.

const TOKEN = 'test-token-bearer-0123456789';
let core: StudioCore;
let server: RunningServer;
let cookieName: string;

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-serve-token-'));
  fs.writeFileSync(path.join(dataDir, 'index.html'), '<!doctype html><title>DeiT Studio</title>');
  core = await createCore({ shell: 'serve', version: '9.9.9', dataDir, trainerDir: dataDir, background: false });
  server = await startServer({ core, staticDir: dataDir, token: TOKEN, host: '127.0.0.1', port: 0 });
  cookieName = `deit_studio_token_${server.port}`; // the name earlier versions used
});

afterAll(async () => {
  await server.close();
  await core.close();
});

async function call(headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const reply = await fetch(`http://127.0.0.1:${server.port}/api/call/app.info`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });
  return { status: reply.status, body: await reply.json() };
}

/** A request written byte by byte, for header values fetch refuses to send; the status line's code. */
function rawStatus(headerLines: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('error', reject);
    socket.write(
      Buffer.concat([
        Buffer.from(
          `POST /api/call/app.info HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 2\r\n',
        ),
        headerLines,
        Buffer.from('\r\n{}'),
      ]),
    );
  });
}

const unauthorized = { ok: false, error: expect.objectContaining({ kind: 'unauthorized' }) };

describe('serve mode: the printed address', () => {
  it('serves the app itself: no cookie, no redirect, no referrer, not stored', async () => {
    const open = await fetch(`http://127.0.0.1:${server.port}/?token=${TOKEN}`, { redirect: 'manual' });
    expect(open.status).toBe(200);
    expect(await open.text()).toContain('<title>DeiT Studio</title>');
    expect(open.headers.get('set-cookie')).toBeNull();
    expect(open.headers.get('referrer-policy')).toBe('no-referrer');
    expect(open.headers.get('cache-control')).toBe('no-store');
  });

  it('is the same page with a wrong or malformed token: the page finds out from the API (401)', async () => {
    for (const token of ['wrong', '%E0%A4%A', '']) {
      const open = await fetch(`http://127.0.0.1:${server.port}/?token=${token}`, { redirect: 'manual' });
      expect({ token, status: open.status, cookie: open.headers.get('set-cookie') }).toEqual({
        token,
        status: 200,
        cookie: null,
      });
    }
  });
});

describe('serve mode: only Authorization: Bearer carries the token', () => {
  it('authorises a Bearer token, the scheme in any case', async () => {
    expect((await call({ authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await call({ authorization: `bearer ${TOKEN}` })).status).toBe(200);
  });

  it('does not accept the token in a cookie, under any name', async () => {
    for (const cookie of [`${cookieName}=${TOKEN}`, `deit_studio_token=${TOKEN}`, `token=${TOKEN}`]) {
      expect({ cookie, ...(await call({ cookie })) }).toEqual({
        cookie,
        status: 401,
        body: expect.objectContaining(unauthorized),
      });
    }
  });

  it('ignores cookies planted by another port: the Bearer header decides', async () => {
    const planted = `${cookieName}=planted-by-another-port; ${cookieName}=%E0%A4%A; other=1`;
    expect((await call({ cookie: planted, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await call({ cookie: planted })).status).toBe(401);
  });

  it('answers a malformed Authorization header with 401, never 500', async () => {
    for (const authorization of [
      'Bearer',
      'Bearer ',
      `Basic ${TOKEN}`,
      `Bearer ${TOKEN} extra`,
      `Bearer ${TOKEN},Bearer ${TOKEN}`,
      `Token ${TOKEN}`,
      TOKEN,
      `Bearer "${TOKEN}"`,
    ]) {
      expect({ authorization, ...(await call({ authorization })) }).toEqual({
        authorization,
        status: 401,
        body: expect.objectContaining(unauthorized),
      });
    }
  });

  it('answers header bytes fetch would refuse to send (Latin-1, a second header) with 401', async () => {
    expect(await rawStatus(Buffer.from(`Authorization: Bearer ${TOKEN}\r\n`))).toBe(200); // the raw request works
    expect(
      await rawStatus(
        Buffer.concat([Buffer.from('Authorization: Bearer '), Buffer.from([0xe9, 0xff, 0x80]), Buffer.from('\r\n')]),
      ),
    ).toBe(401);
    expect(
      await rawStatus(
        Buffer.concat([Buffer.from(`Authorization: Bearer ${TOKEN}`), Buffer.from([0xe9]), Buffer.from('\r\n')]),
      ),
    ).toBe(401);
    expect(await rawStatus(Buffer.from(`Cookie: ${cookieName}=${TOKEN}\r\nCookie: ${cookieName}=%\r\n`))).toBe(401);
  });
});
