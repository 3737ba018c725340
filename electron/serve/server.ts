import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, parseDownloadPath, type Result } from '../contract';
import type { StudioCore } from '../core/app-core';
import { dispatchCall } from '../core/dispatch';
import { serveDownload } from './downloads';
import { EventStream } from './event-stream';
import { DEFAULT_LIMITS, limitConnections, type ServeLimits } from './limits';
import { readBody } from './request-body';
import { SECURITY_HEADERS, allowedHosts, hostAllowed, originAllowed, requestAuthorized } from './security';
import { readStaticFile } from './static-files';
import { TicketStore } from './tickets';

export interface ServeOptions {
  core: StudioCore;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  token: string;
  host: string;
  port: number;
  /** More names this server may be reached by (the machine's addresses when bound to all). */
  extraHostNames?: string[];
  /** Caps on connections, event streams and request bodies (limits.ts has the defaults). */
  limits?: Partial<ServeLimits>;
  /** Download tickets (tickets.ts); tests pass one with their own clock. */
  tickets?: TicketStore;
}

export interface RunningServer {
  server: http.Server;
  port: number;
  /** The address to open, with the token (`/?token=…`): the page takes it from there (api/token.ts). */
  url: string;
  /** The same address without the token, safe to print in logs. */
  address: string;
  close(): Promise<void>;
}

/**
 * Serve mode: the built renderer plus the API contract over HTTP. Every API request needs the
 * token in `Authorization: Bearer` (or, for a download, a ticket for that one address); no cookie is
 * set or read. Host and Origin are checked on every request.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const events = new EventStream(options.core.bus, limits.maxEventClients);
  const tickets = options.tickets ?? new TicketStore();
  let hosts = new Set<string>();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, failure(new AppError('internal', 'The server failed.', { detail: String(error) })));
      else res.end();
    });
  });
  const overConnectionCap = limitConnections(server, limits.maxConnections);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (overConnectionCap(req.socket)) return sendJson(res, 503, failure(tooManyConnections(limits)), CLOSE);
    if (!hostAllowed(req, hosts))
      return sendJson(res, 403, failure(forbidden('This address is not allowed (Host header).')));
    if (!originAllowed(req, hosts))
      return sendJson(res, 403, failure(forbidden('Requests from other sites are not allowed.')));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendJson(res, 400, failure(new AppError('validation', 'The request address is malformed.')));
    }

    if (url.pathname.startsWith('/api/')) {
      // The Bearer token; else a download ticket, used up here, for exactly this address.
      const authorized =
        requestAuthorized(req, options.token) ||
        (req.method === 'GET' && tickets.redeem(url.searchParams.get('ticket'), url.pathname));
      if (!authorized) return sendJson(res, 401, failure(unauthorized()));
      if (url.pathname === '/api/ticket') {
        const input = await readJson(req, res);
        if (input === undefined) return;
        const path = downloadPathOf(input);
        if (!path) return sendJson(res, 400, failure(notDownload()));
        const ticket = tickets.issue(path);
        return sendJson(res, 200, {
          ok: true,
          value: { ticket, url: `${path}?ticket=${ticket}`, expiresInS: tickets.ttlSeconds },
        });
      }
      if (url.pathname === '/api/events') {
        if (req.method !== 'GET') return sendJson(res, 405, failure(badMethod()));
        if (!events.attach(req, res, SECURITY_HEADERS)) sendJson(res, 503, failure(tooManyStreams(limits)));
        return;
      }
      // Files of a run folder (the addresses are defined in contract/downloads.ts).
      if (await serveDownload(req, res, options.core.context.paths.runsDir, url.pathname)) return;
      const match = /^\/api\/call\/([A-Za-z.]+)$/.exec(url.pathname);
      if (!match) return sendJson(res, 404, failure(new AppError('not_found', 'There is no such API address.')));
      const input = await readJson(req, res);
      if (input === undefined) return;
      const result = await dispatchCall(options.core.handlers, match[1] ?? '', input);
      return sendJson(res, result.ok || result.error.kind !== 'validation' ? 200 : 400, result);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, failure(badMethod()));
    // The printed address `/?token=…` is the app like any page: the page keeps the token and takes it
    // out of the address itself (renderer/src/api/token.ts). Static files need no token.
    const file = await readStaticFile(options.staticDir, url.pathname);
    if (!file) return sendJson(res, 404, failure(new AppError('not_found', 'Not found.')));
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.contentType,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  /**
   * The JSON body of a POST, or undefined once an error was answered: 405, 415, 413 (and the
   * connection closed), 400.
   */
  async function readJson(req: http.IncomingMessage, res: http.ServerResponse): Promise<unknown> {
    if (req.method !== 'POST') return sendJson(res, 405, failure(badMethod()));
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(
        res,
        415,
        failure(new AppError('validation', 'Requests must be JSON (Content-Type: application/json).')),
      );
    }
    const body = await readBody(req, limits.maxBodyBytes);
    if (body.kind === 'aborted') return void res.destroy();
    // Closing the connection after the answer throws the unread rest of the body away.
    if (body.kind === 'too_large') return sendJson(res, 413, failure(tooLarge(limits)), CLOSE);
    try {
      return body.text.length ? (JSON.parse(body.text) as unknown) : {};
    } catch {
      return sendJson(res, 400, failure(new AppError('validation', 'The request body is not valid JSON.')));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(options.host, port, options.extraHostNames);
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const urlHost = shownHost.includes(':') ? `[${shownHost}]` : shownHost;
  return {
    server,
    port,
    url: `http://${urlHost}:${port}/?token=${options.token}`,
    address: `http://${urlHost}:${port}/`,
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
    fix: 'Open the address with ?token=… that DeiT Studio printed in its terminal (or wrote to its --token-file).',
  });
}

/** The path of a download address a ticket may be issued for (`{path}`), normalised as the server parses it; else null. */
function downloadPathOf(input: unknown): string | null {
  const given = (input as { path?: unknown } | null)?.path;
  if (typeof given !== 'string' || !given.startsWith('/') || given.startsWith('//')) return null;
  let url: URL;
  try {
    url = new URL(given, 'http://localhost');
  } catch {
    return null;
  }
  if (url.search || url.hash || !parseDownloadPath(url.pathname)) return null;
  return url.pathname;
}

function notDownload(): AppError {
  return new AppError('validation', 'Tickets are only for download addresses (/api/download/runs/…).', {
    fix: 'Ask with {"path": "/api/download/runs/<run id>/zip"} or a file of the run.',
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

function tooLarge(limits: ServeLimits): AppError {
  return new AppError('validation', `The request is too large (over ${mib(limits.maxBodyBytes)}).`, {
    fix: 'API calls carry settings, never files: send a smaller request.',
  });
}

function tooManyConnections(limits: ServeLimits): AppError {
  return new AppError('busy', `The server has too many open connections (${limits.maxConnections}).`, {
    fix: 'Close DeiT Studio tabs or scripts you no longer use, then reload this page.',
  });
}

function tooManyStreams(limits: ServeLimits): AppError {
  return new AppError('busy', `Too many pages are following this server (${limits.maxEventClients} event streams).`, {
    fix: 'Close DeiT Studio tabs you no longer use, then reload this page.',
  });
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${bytes} bytes`;
}

/** Answers that end the connection (Node closes the socket once the answer is sent). */
const CLOSE = { Connection: 'close' };

function sendJson(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text);
}
