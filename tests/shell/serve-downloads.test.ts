import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { runFileDownloadUrl, runZipDownloadUrl, type RunFiles } from '../../electron/contract';
import { createCore, type StudioCore } from '../../electron/core/app-core';
import { startServer, type RunningServer } from '../../electron/serve/server';
import { writeRunFolder } from '../helpers/runs-folders';

// Serve-mode downloads over a real HTTP server on 127.0.0.1: token, containment, types, the zip.

const TOKEN = 'test-token-downloads-0123456789';
const RUN = '20261127-2340-deit-tiny-x7k2';
let core: StudioCore;
let server: RunningServer;
let dataDir: string;
let runDir: string;
let outside: string;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(urlPath: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: urlPath,
        headers: { host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Every entry of a zip with its bytes, read back by an independent reader (yauzl). */
function readZip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (d: Buffer) => chunks.push(d));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const onnx = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256));

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-downloads-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-downloads-outside-'));
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'not for the browser');
  runDir = writeRunFolder(path.join(dataDir, 'runs'), RUN, {
    settings: { datasetPath: '/data/birds', modelId: 'deit_tiny_patch16_224' },
    state: { status: 'finished' },
  });
  const write = (rel: string, data: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(runDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(runDir, rel), data);
  };
  write('export/model.onnx', onnx);
  write('export/model.torchscript.pt', Buffer.alloc(1000, 3));
  write('export/labels.json', '["crow","owl"]');
  write('predictions/20261128-0900-new-birds.csv', 'path,predicted,confidence\n/images/a.jpg,owl,0.9\n');
  write('predictions/empty.csv', '');
  write('report.md', '# Methods\n\nÜber alles.\n');
  write('checkpoints/best.pt', Buffer.alloc(2000, 1));
  write('checkpoints/last.pt', Buffer.alloc(5000, 2));
  write('.report.md.1a2b3c4d.tmp', 'half written');
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(runDir, 'secret-link.txt'));
  fs.symlinkSync(outside, path.join(runDir, 'outside-dir'));
  fs.symlinkSync(path.join(runDir, 'report.md'), path.join(runDir, 'inside-link.md'));
  core = await createCore({ shell: 'serve', version: '9.9.9', dataDir, trainerDir: dataDir, background: false });
  server = await startServer({ core, staticDir: dataDir, token: TOKEN, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server.close();
  await core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('serve mode: downloads of a run folder', () => {
  it('needs the token like every other API address', async () => {
    expect((await get(runFileDownloadUrl(RUN, 'export/model.onnx'), {})).status).toBe(401);
    expect((await get(runZipDownloadUrl(RUN), { authorization: 'Bearer wrong-wrong-wrong' })).status).toBe(401);
    // No cookie authorises it (a browser's link gets a ticket instead: serve-tickets.test.ts).
    const cookie = await get(runFileDownloadUrl(RUN, 'report.md'), {
      cookie: `deit_studio_token_${server.port}=${TOKEN}`,
    });
    expect(cookie.status).toBe(401);
  });

  it('streams one file with its type and a file name', async () => {
    const reply = await get(runFileDownloadUrl(RUN, 'export/model.onnx'));
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/octet-stream');
    expect(reply.headers['content-length']).toBe(String(onnx.length));
    expect(reply.headers['content-disposition']).toBe(
      `attachment; filename="${RUN}-model.onnx"; filename*=UTF-8''${RUN}-model.onnx`,
    );
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(createHash('sha256').update(reply.body).digest('hex')).toBe(createHash('sha256').update(onnx).digest('hex'));

    const csv = await get(runFileDownloadUrl(RUN, 'predictions/20261128-0900-new-birds.csv'));
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain(`filename="${RUN}-20261128-0900-new-birds.csv"`);
    expect(csv.body.toString()).toContain('/images/a.jpg,owl,0.9');
    const report = await get(runFileDownloadUrl(RUN, 'report.md'));
    expect(report.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(report.body.toString('utf8')).toBe('# Methods\n\nÜber alles.\n');
    const empty = await get(runFileDownloadUrl(RUN, 'predictions/empty.csv'));
    expect([empty.status, empty.body.length]).toEqual([200, 0]);
  });

  it('refuses paths that leave the run folder and links, also links that stay inside', async () => {
    for (const file of ['secret-link.txt', 'outside-dir/secret.txt', 'inside-link.md']) {
      const reply = await get(runFileDownloadUrl(RUN, file));
      expect(reply.status, file).toBe(403);
      expect(reply.body.toString()).not.toContain('not for the browser');
    }
    const prefix = `/api/download/runs/${RUN}/file/`;
    for (const raw of [
      '..%2F..%2Fsecret.txt',
      '%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      'export%2F..%2F..%2F..%2Fetc%2Fpasswd',
    ]) {
      const reply = await get(prefix + raw);
      expect([403, 404], raw).toContain(reply.status);
      expect(reply.body.toString()).not.toContain('root:');
    }
    // A folder is not a file, another run id cannot climb out, a missing file is 404.
    expect((await get(runFileDownloadUrl(RUN, 'export'))).status).toBe(403);
    expect((await get(runFileDownloadUrl('..', 'etc/passwd'))).status).toBe(404);
    expect((await get(runFileDownloadUrl(RUN, 'export/nope.onnx'))).status).toBe(404);
    expect((await get(runFileDownloadUrl('no-such-run', 'report.md'))).status).toBe(404);
  });

  it('zips the run folder without the resume checkpoint, temp files or links', async () => {
    const reply = await get(runZipDownloadUrl(RUN));
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/zip');
    expect(reply.headers['content-disposition']).toContain(`filename="${RUN}.zip"`);
    expect(Number(reply.headers['content-length'])).toBe(reply.body.length);
    const entries = await readZip(reply.body);
    const names = [...entries.keys()].sort();
    expect(names).toEqual(
      [
        'checkpoints/best.pt',
        'export/labels.json',
        'export/model.onnx',
        'export/model.torchscript.pt',
        'predictions/20261128-0900-new-birds.csv',
        'predictions/empty.csv',
        'report.md',
        'run.json',
        'state.json',
      ].map((name) => `${RUN}/${name}`),
    );
    expect(entries.get(`${RUN}/export/model.onnx`)?.equals(onnx)).toBe(true);
    expect(entries.get(`${RUN}/report.md`)?.toString('utf8')).toBe('# Methods\n\nÜber alles.\n');
  });

  it('lists the files through the contract, marking what the zip carries', async () => {
    const result = await core.handlers['runs.files']({ id: RUN });
    const byPath = new Map((result as RunFiles).files.map((f) => [f.path, f]));
    expect(byPath.get('export/model.onnx')).toEqual({
      path: 'export/model.onnx',
      kind: 'model',
      sizeBytes: onnx.length,
      inZip: true,
    });
    expect(byPath.get('checkpoints/last.pt')).toMatchObject({ kind: 'checkpoint', inZip: false });
    expect(byPath.get('predictions/empty.csv')).toMatchObject({ kind: 'prediction', inZip: true });
    expect(byPath.has('secret-link.txt')).toBe(false);
    expect(byPath.has('.report.md.1a2b3c4d.tmp')).toBe(false);
  });

  it('answers only GET and HEAD', async () => {
    const head = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'HEAD',
          path: runFileDownloadUrl(RUN, 'export/model.onnx'),
          headers: { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${TOKEN}` },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(head).toBe(200);
  });
});
