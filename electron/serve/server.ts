import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, type Result } from '../contract';
import type { StudioCore } from '../core/app-core';
import { dispatchCall } from '../core/dispatch';
import { serveDownload } from './downloads';
import { EventStream } from './event-stream';
import {
  SECURITY_HEADERS,
  allowedHosts,
  cookieName,
  hostAllowed,
  originAllowed,
  requestToken,
  tokenMatches,
} from './security';
import { readStaticFile } from './static-files';

const MAX_BODY_BYTES = 1024 * 1024;

export interface ServeOptions {
  core: StudioCore;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  token: string;
  host: string;
  port: number;
  /** More names this server may be reached by (the machine's addresses when bound to all). */
  extraHostNames?: string[];
}

export interface RunningServer {
  server: http.Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * Serve mode: the built renderer plus the API contract over HTTP. Every API request needs the
 * token; Host and Origin are checked on every request.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const events = new EventStream(options.core.bus);
  let hosts = new Set<string>();
  let port = options.port;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, failure(new AppError('internal', 'The server failed.', { detail: String(error) })));
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!hostAllowed(req, hosts))
      return sendJson(res, 403, failure(forbidden('This address is not allowed (Host header).')));
    if (!originAllowed(req, hosts))
      return sendJson(res, 403, failure(forbidden('Requests from other sites are not allowed.')));
    const url = new URL(req.url ?? '/', 'http://localhost');

    if (url.pathname.startsWith('/api/')) {
      if (!tokenMatches(options.token, requestToken(req, port))) return sendJson(res, 401, failure(unauthorized()));
      if (url.pathname === '/api/events') {
        if (req.method !== 'GET') return sendJson(res, 405, failure(badMethod()));
        return events.attach(req, res, SECURITY_HEADERS);
      }
      // Files of a run folder (the addresses are defined in contract/downloads.ts).
      if (await serveDownload(req, res, options.core.context.paths.runsDir, url.pathname)) return;
      const match = /^\/api\/call\/([A-Za-z.]+)$/.exec(url.pathname);
      if (!match) return sendJson(res, 404, failure(new AppError('not_found', 'There is no such API address.')));
      if (req.method !== 'POST') return sendJson(res, 405, failure(badMethod()));
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendJson(
          res,
          415,
          failure(new AppError('validation', 'Requests must be JSON (Content-Type: application/json).')),
        );
      }
      const body = await readBody(req);
      if (body === null) return sendJson(res, 413, failure(new AppError('validation', 'The request is too large.')));
      let input: unknown;
      try {
        input = body.length ? JSON.parse(body) : {};
      } catch {
        return sendJson(res, 400, failure(new AppError('validation', 'The request body is not valid JSON.')));
      }
      const result = await dispatchCall(options.core.handlers, match[1] ?? '', input);
      return sendJson(res, result.ok || result.error.kind !== 'validation' ? 200 : 400, result);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, failure(badMethod()));
    // Opening the printed URL: remember the token in a cookie, then drop it from the address bar.
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!tokenMatches(options.token, given)) return sendJson(res, 401, failure(unauthorized()));
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${cookieName(port)}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
        'Cache-Control': 'no-store',
      });
      return void res.end();
    }
    const file = await readStaticFile(options.staticDir, url.pathname);
    if (!file) return sendJson(res, 404, failure(new AppError('not_found', 'Not found.')));
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.contentType,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(options.host, port, options.extraHostNames);
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const urlHost = shownHost.includes(':') ? `[${shownHost}]` : shownHost;
  return {
    server,
    port,
    url: `http://${urlHost}:${port}/?token=${options.token}`,
    async close() {
      events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function failure(error: AppError): Result<never> {
  return { ok: false, error: error.toShape() };
}

function unauthorized(): AppError {
  return new AppError('unauthorized', 'This request needs the access token.', {
    fix: 'Open the address with ?token=… that `npm run serve` printed in its terminal.',
  });
}

function forbidden(message: string): AppError {
  return new AppError('unauthorized', message, {
    fix: 'Open DeiT Studio at http://127.0.0.1:<port>/ (or through your SSH tunnel to it).',
  });
}

function badMethod(): AppError {
  return new AppError('validation', 'This HTTP method is not allowed here.');
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is drained (so the 413 reaches the client) unless it is absurd.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > 16 * MAX_BODY_BYTES) req.destroy();
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
