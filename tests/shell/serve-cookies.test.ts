import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type StudioCore } from '../../electron/core/app-core';
import { startServer, type RunningServer } from '../../electron/serve/server';

// The token cookie against what other services on the same host can do to it: browsers send every
// 127.0.0.1 cookie to every port, and a longer path is sent first.

const TOKEN = 'test-token-cookies-0123456789';
let core: StudioCore;
let server: RunningServer;
let name: string;

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-serve-cookies-'));
  fs.writeFileSync(path.join(dataDir, 'index.html'), '<!doctype html><title>DeiT Studio</title>');
  core = await createCore({ shell: 'serve', version: '9.9.9', dataDir, trainerDir: dataDir, background: false });
  server = await startServer({ core, staticDir: dataDir, token: TOKEN, host: '127.0.0.1', port: 0 });
  name = `deit_studio_token_${server.port}`;
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

const unauthorized = { ok: false, error: expect.objectContaining({ kind: 'unauthorized' }) };

describe('serve mode: the token cookie', () => {
  it('is named after the port, so a service on another port does not overwrite it by accident', async () => {
    const open = await fetch(`http://127.0.0.1:${server.port}/?token=${TOKEN}`, { redirect: 'manual' });
    expect(open.status).toBe(303);
    expect(open.headers.get('set-cookie')).toMatch(new RegExp(`^${name}=${TOKEN};`));
    expect((await call({ cookie: `${name}=${TOKEN}` })).status).toBe(200);
    // The same token under another port's name is not ours.
    expect(await call({ cookie: `deit_studio_token_${server.port + 1}=${TOKEN}` })).toEqual({
      status: 401,
      body: expect.objectContaining(unauthorized),
    });
  });

  it('still works when another port planted a cookie of the same name that the browser sends first', async () => {
    expect((await call({ cookie: `${name}=planted-by-another-port; ${name}=${TOKEN}` })).status).toBe(200);
    expect((await call({ cookie: `other=1; ${name}=${TOKEN}; ${name}=planted` })).status).toBe(200);
    // A wrong Bearer header does not hide a right cookie either.
    expect((await call({ authorization: 'Bearer planted-planted-planted', cookie: `${name}=${TOKEN}` })).status).toBe(
      200,
    );
    // Only wrong values: refused.
    expect((await call({ cookie: `${name}=planted; ${name}=also-planted` })).status).toBe(401);
  });

  it('answers a malformed cookie with 401, never 500', async () => {
    for (const cookie of [
      `${name}=%E0%A4%A`,
      `${name}=%`,
      `${name}=%ZZ%`,
      `${name}`,
      `=${TOKEN}`,
      ';;;',
      `${name}==`,
    ]) {
      expect({ cookie, ...(await call({ cookie })) }).toEqual({
        cookie,
        status: 401,
        body: expect.objectContaining(unauthorized),
      });
    }
    // A malformed one beside the right one: the right one counts.
    expect((await call({ cookie: `${name}=%E0%A4%A; ${name}=${TOKEN}` })).status).toBe(200);
  });

  it('answers a malformed token in the address with 401', async () => {
    const reply = await fetch(`http://127.0.0.1:${server.port}/?token=%E0%A4%A`, { redirect: 'manual' });
    expect(reply.status).toBe(401);
  });
});
