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
 * The cookie name carries the port: browsers share cookies across the ports of one host, so a
 * service on another port that sets its own token cookie does not overwrite ours by accident.
 */
export function cookieName(port: number): string {
  return `deit_studio_token_${port}`;
}

/**
 * Every value of one cookie in a request. There can be several: a service on another port of this
 * host can set a cookie of the same name (a longer path is sent first), and the browser sends both.
 * A value that is not valid %-encoding is skipped, never an error.
 */
export function readCookies(req: http.IncomingMessage, name: string): string[] {
  const header = req.headers.cookie;
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      values.push(decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // malformed: not ours (we write the token URI-encoded)
    }
  }
  return values;
}

/** The tokens a request carries: `Authorization: Bearer`, and every session cookie of this port. */
export function requestTokens(req: http.IncomingMessage, port: number): string[] {
  const auth = req.headers.authorization;
  const bearer = auth?.startsWith('Bearer ') ? [auth.slice('Bearer '.length).trim()] : [];
  return [...bearer, ...readCookies(req, cookieName(port))];
}

/**
 * True when any token the request carries is ours, so a cookie planted by another port cannot log
 * the user out. Each is compared in constant time, and all are compared (no early exit).
 */
export function requestAuthorized(req: http.IncomingMessage, port: number, expected: string): boolean {
  let ok = false;
  for (const given of requestTokens(req, port)) ok = tokenMatches(expected, given) || ok;
  return ok;
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
