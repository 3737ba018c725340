import crypto from 'node:crypto';
import type http from 'node:http';
import { securityHeaders } from '../core/renderer-csp';

/** A fresh random token for one serve session (like Jupyter's). */
export function createToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The cookie name carries the port: browsers share cookies across ports of one host. */
export function cookieName(port: number): string {
  return `deit_studio_token_${port}`;
}

/** Reads one cookie from a request. */
export function readCookie(req: http.IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The token a request carries: Authorization: Bearer, or the session cookie. */
export function requestToken(req: http.IncomingMessage, port: number): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return readCookie(req, cookieName(port));
}

/**
 * Host names a browser may use to reach this server. Anything else is refused, so a malicious site
 * cannot reach the API through DNS rebinding (its own name resolving to 127.0.0.1).
 */
export function allowedHosts(bindHost: string, port: number, extraNames: string[] = []): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  for (const name of [bindHost, ...extraNames]) {
    if (name === '0.0.0.0' || name === '::') continue;
    names.add(name.includes(':') ? `[${name}]` : name.toLowerCase());
  }
  return new Set([...names].map((name) => `${name}:${port}`));
}

/** True when the Host header names this server. */
export function hostAllowed(req: http.IncomingMessage, hosts: Set<string>): boolean {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && hosts.has(host);
}

/** True when there is no Origin (not a browser) or it is this server's own origin. */
export function originAllowed(req: http.IncomingMessage, hosts: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && hosts.has(url.host.toLowerCase());
  } catch {
    return false;
  }
}

/** Headers sent with every response. */
export const SECURITY_HEADERS: Record<string, string> = {
  ...securityHeaders(), // the desktop window's policy, so browser tests exercise the same CSP
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
