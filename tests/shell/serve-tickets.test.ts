import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFileDownloadUrl, runZipDownloadUrl } from '../../electron/contract';
import { createCore, type StudioCore } from '../../electron/core/app-core';
import { startServer, type RunningServer } from '../../electron/serve/server';
import { TicketStore } from '../../electron/serve/tickets';
import { writeRunFolder } from '../helpers/runs-folders';

// Download tickets: a plain link (`<a download>`) cannot send the Bearer header, so the page trades
// its token for a ticket good once, for one address, for a minute. The clock is the test's.

const TOKEN = 'test-token-tickets-0123456789';
const RUN = '20261127-2340-deit-tiny-t1ck';
const BEARER = { authorization: `Bearer ${TOKEN}` };
let core: StudioCore;
let server: RunningServer;
let dataDir: string;
let clock = 1_000_000;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-tickets-'));
  const runDir = writeRunFolder(path.join(dataDir, 'runs'), RUN, {
    settings: { datasetPath: '/data/birds', modelId: 'deit_tiny_patch16_224' },
    state: { status: 'finished' },
  });
  fs.writeFileSync(path.join(runDir, 'report.md'), '# Methods\n');
  fs.mkdirSync(path.join(runDir, 'predictions'));
  fs.writeFileSync(path.join(runDir, 'predictions', 'new birds.csv'), 'path,predicted\n');
  core = await createCore({ shell: 'serve', version: '9.9.9', dataDir, trainerDir: dataDir, background: false });
  const tickets = new TicketStore(60_000, () => clock);
  server = await startServer({ core, staticDir: dataDir, token: TOKEN, host: '127.0.0.1', port: 0, tickets });
});

afterAll(async () => {
  await server.close();
  await core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const at = (urlPath: string) => `http://127.0.0.1:${server.port}${urlPath}`;

async function ticketFor(
  urlPath: unknown,
  headers: Record<string, string> = BEARER,
): Promise<{ status: number; body: { ok: boolean; value?: { ticket: string; url: string; expiresInS: number } } }> {
  const reply = await fetch(at('/api/ticket'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ path: urlPath }),
  });
  return { status: reply.status, body: (await reply.json()) as never };
}

async function ticketUrl(urlPath: string): Promise<string> {
  const reply = await ticketFor(urlPath);
  expect(reply.status).toBe(200);
  return reply.body.value!.url;
}

describe('serve mode: download tickets', () => {
  it('are given for the token only, for download addresses only', async () => {
    expect((await ticketFor(runZipDownloadUrl(RUN), {})).status).toBe(401);
    expect((await ticketFor(runZipDownloadUrl(RUN), { authorization: 'Bearer wrong-wrong-wrong' })).status).toBe(401);
    for (const bad of ['/api/events', '/api/call/runs.list', '/', '/api/ticket', 'api/download/runs/x/zip', 42, null]) {
      const reply = await ticketFor(bad);
      expect({ bad, status: reply.status, ok: reply.body.ok }).toEqual({ bad, status: 400, ok: false });
    }
    expect((await ticketFor(`${runZipDownloadUrl(RUN)}?x=1`)).status).toBe(400);
    const ok = await ticketFor(runZipDownloadUrl(RUN));
    expect(ok.body.value).toEqual({
      ticket: expect.stringMatching(/^[\w-]{32}$/),
      url: `${runZipDownloadUrl(RUN)}?ticket=${ok.body.value!.ticket}`,
      expiresInS: 60,
    });
  });

  it('download the one address they were given for, once, without the header', async () => {
    const file = runFileDownloadUrl(RUN, 'predictions/new birds.csv');
    const url = await ticketUrl(file);
    const first = await fetch(at(url));
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('path,predicted\n');
    expect(first.headers.get('set-cookie')).toBeNull();
    // Used up.
    expect((await fetch(at(url))).status).toBe(401);
  });

  it('cannot be used for another address (and are used up trying)', async () => {
    const url = await ticketUrl(runFileDownloadUrl(RUN, 'report.md'));
    const ticket = new URL(at(url)).searchParams.get('ticket');
    expect((await fetch(at(`${runZipDownloadUrl(RUN)}?ticket=${ticket}`))).status).toBe(401);
    expect((await fetch(at(`/api/call/runs.list?ticket=${ticket}`), { method: 'POST' })).status).toBe(401);
    expect((await fetch(at(url))).status).toBe(401);
  });

  it('are not a token: no calls, no event stream, no other methods', async () => {
    for (const [method, urlPath] of [
      ['GET', '/api/events'],
      ['POST', '/api/call/runs.list'],
      ['POST', '/api/ticket'],
    ] as const) {
      const url = await ticketUrl(runZipDownloadUrl(RUN));
      const ticket = new URL(at(url)).searchParams.get('ticket');
      const reply = await fetch(at(`${urlPath}?ticket=${ticket}`), {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect({ urlPath, status: reply.status }).toEqual({ urlPath, status: 401 });
    }
    const url = await ticketUrl(runZipDownloadUrl(RUN));
    expect((await fetch(at(url), { method: 'HEAD' })).status).toBe(401);
  });

  it('expire after a minute', async () => {
    const late = await ticketUrl(runFileDownloadUrl(RUN, 'report.md'));
    const inTime = await ticketUrl(runFileDownloadUrl(RUN, 'report.md'));
    clock += 59_000;
    expect((await fetch(at(inTime))).status).toBe(200);
    clock += 1_000;
    expect((await fetch(at(late))).status).toBe(401);
  });

  it('a wrong, empty or odd ticket is a plain 401', async () => {
    for (const ticket of ['', 'nope', '%E0%A4%A', 'a'.repeat(5000)]) {
      const reply = await fetch(at(`${runZipDownloadUrl(RUN)}?ticket=${ticket}`));
      expect({ ticket: ticket.slice(0, 10), status: reply.status }).toEqual({
        ticket: ticket.slice(0, 10),
        status: 401,
      });
    }
  });
});

describe('TicketStore', () => {
  it('keeps at most `max` tickets, dropping the oldest', () => {
    let now = 0;
    const store = new TicketStore(1000, () => now, 3);
    const [a, b, c, d] = ['/a', '/b', '/c', '/d'].map((p) => store.issue(p));
    expect(store.size).toBe(3);
    expect(store.redeem(a!, '/a')).toBe(false);
    expect(store.redeem(d!, '/d')).toBe(true);
    now = 1000;
    expect(store.redeem(b!, '/b')).toBe(false); // expired
    expect(store.size).toBe(0);
    expect(store.redeem(c!, '/c')).toBe(false);
  });
});
