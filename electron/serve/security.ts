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

/**
 * The token a request carries in `Authorization: Bearer <token>` (the scheme in any case, RFC 7235),
 * or null. Nothing else counts: no cookie is set or read, because browsers send a host's cookies to
 * every port of it (another service on 127.0.0.1 would receive the token) and let other ports
 * overwrite them. A header that is not exactly one Bearer token is null, so it gets 401, never 500.
 */
export function bearerToken(req: http.IncomingMessage): string | null {
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(req.headers.authorization ?? '');
  return match?.[1] ?? null;
}

/** True when the request's Bearer token is ours (compared in constant time). */
export function requestAuthorized(req: http.IncomingMessage, expected: string): boolean {
  return tokenMatches(expected, bearerToken(req));
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
