/**
 * Content-Security-Policy of the renderer, sent as a response header (a `<meta>` CSP cannot set
 * `frame-ancestors`). Scripts only from our own origin, no eval, no plugins, no <base>, no framing.
 * Styles: files from our origin only; React's `style` props go through CSSOM, which CSP allows, so no
 * 'unsafe-inline' is needed. Images also from data:/blob: (dataset images arrive as base64).
 * Workers only from our origin: serve mode's service worker (dist/renderer/sw.js; the desktop window
 * registers none).
 * Both shells send it: the Electron protocol handler and serve mode, so browser tests exercise this very policy.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every renderer response. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
