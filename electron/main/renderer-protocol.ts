import fs from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme } from 'electron';
import { securityHeaders } from '../core/renderer-csp';
import { RENDERER_HOST, RENDERER_SCHEME } from './renderer-origin';

/**
 * Registration of the renderer scheme; must happen before the app is ready. `standard` gives it a
 * host and relative URLs, `secure` makes it a secure context, `supportFetchAPI` lets module scripts
 * load. No `bypassCSP`, no `corsEnabled`: the scheme gets no powers beyond a normal https page.
 */
export const RENDERER_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: RENDERER_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders() } });
}

/**
 * Maps a request URL to a file under `rootDir`, or null when it must be refused: another host, an
 * undecodable path, a NUL byte, a backslash, a ".." segment, or anything that resolves outside the root.
 */
export function resolveRendererFile(rootDir: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${RENDERER_SCHEME}:` || parsed.host !== RENDERER_HOST) return null;
  let relative: string;
  try {
    // URL parsing already collapsed literal "..": decoding may reveal encoded ones (%2e%2e%2f).
    relative = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (relative.includes('\0') || relative.includes('\\')) return null;
  if (relative.split('/').some((segment) => segment === '..')) return null; // an encoded "../" survived parsing
  if (relative === '/' || relative === '') relative = '/index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, '.' + path.posix.normalize(relative));
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return file;
}

/** True when `file` (after following links) still lies under `rootDir`. */
async function staysInside(rootDir: string, file: string): Promise<boolean> {
  const [root, real] = await Promise.all([fs.realpath(rootDir), fs.realpath(file)]);
  const inside = path.relative(root, real);
  return inside !== '' && !inside.startsWith('..') && !path.isAbsolute(inside);
}

/**
 * The `protocol.handle` handler for the renderer: serves files from `rootDir` (dist/renderer) only,
 * GET/HEAD only, with the CSP and other security headers on every response. A path without an
 * extension that is not a file falls back to index.html, so a reload on a client-side route works.
 */
export function createRendererProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    let file = resolveRendererFile(rootDir, request.url);
    if (!file) return plain(404, 'Not found');
    try {
      let stat = await fs.stat(file).catch(() => null);
      if ((!stat || !stat.isFile()) && path.extname(file) === '') {
        file = path.join(path.resolve(rootDir), 'index.html');
        stat = await fs.stat(file).catch(() => null);
      }
      if (!stat || !stat.isFile() || !(await staysInside(rootDir, file))) return plain(404, 'Not found');
      const body = request.method === 'HEAD' ? null : await fs.readFile(file);
      const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      return new Response(body, {
        status: 200,
        headers: { 'Content-Type': type, 'Cache-Control': 'no-cache', ...securityHeaders() },
      });
    } catch {
      return plain(500, 'The file could not be read');
    }
  };
}
