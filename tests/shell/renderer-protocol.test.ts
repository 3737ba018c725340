import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../../electron/core/renderer-csp';
import { createRendererProtocolHandler, resolveRendererFile } from '../../electron/main/renderer-protocol';

/** The CSP as a map of directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('renderer CSP', () => {
  const csp = directives(RENDERER_CSP);

  it('allows scripts from our own origin only, without eval or inline code', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('worker-src')).toEqual(["'self'"]); // serve mode's service worker (dist/renderer/sw.js)
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|\*/);
  });

  it('forbids plugins, <base>, framing and form posts', () => {
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });

  it('never names a remote origin', () => {
    for (const sources of csp.values()) {
      for (const source of sources) expect(source).toMatch(/^('self'|'none'|data:|blob:)$/);
    }
  });
});

describe('renderer protocol', () => {
  let base: string;
  let root: string;
  let handler: (request: Request) => Promise<Response>;
  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-protocol-'));
    root = path.join(base, 'renderer');
    await fs.mkdir(path.join(root, 'assets'), { recursive: true });
    await fs.writeFile(path.join(root, 'index.html'), '<!doctype html><title>DeiT Studio</title>');
    await fs.writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    await fs.writeFile(path.join(base, 'secret.txt'), 'SECRET');
    await fs.symlink(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
    handler = createRendererProtocolHandler(root);
  });
  afterAll(async () => fs.rm(base, { recursive: true, force: true }));

  it('serves the entry page with the strict CSP and nosniff headers', async () => {
    const response = await get('app://renderer/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('DeiT Studio');
  });

  it('serves assets with their type, and / as index.html', async () => {
    const script = await get('app://renderer/assets/app.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toBe('console.log(1)');
    expect(await (await get('app://renderer/')).text()).toContain('DeiT Studio');
  });

  it('falls back to index.html for a client-side route, but not for a missing file', async () => {
    expect(await (await get('app://renderer/runs/abc')).text()).toContain('DeiT Studio');
    expect((await get('app://renderer/assets/missing.js')).status).toBe(404);
  });

  it('refuses every way out of the renderer folder', async () => {
    const attempts = [
      'app://renderer/../secret.txt',
      'app://renderer/%2e%2e/secret.txt',
      'app://renderer/..%2fsecret.txt',
      'app://renderer/assets/..%2F..%2Fsecret.txt',
      'app://renderer/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://renderer/..%5csecret.txt',
      'app://renderer/index.html%00.js',
      'app://renderer/%E0%A4%A',
      'app://renderer/assets/link.txt',
      'app://other/index.html',
      'https://renderer/index.html',
    ];
    for (const url of attempts) {
      const response = await get(url);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text(), url).not.toContain('SECRET');
    }
  });

  it('resolves a URL to a path inside the root, or to nothing', () => {
    expect(resolveRendererFile(root, 'app://renderer/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    // URL parsing turns encoded dot segments into real ones and collapses them at the root.
    expect(resolveRendererFile(root, 'app://renderer/%2e%2e/secret.txt')).toBe(path.join(root, 'secret.txt'));
    for (const url of ['app://renderer/..%2f..%2fsecret.txt', 'app://renderer/..%5c..%5csecret.txt', 'app://x/a']) {
      expect(resolveRendererFile(root, url), url).toBeNull();
    }
  });

  it('answers only GET and HEAD', async () => {
    expect((await get('app://renderer/index.html', 'POST')).status).toBe(405);
    const head = await get('app://renderer/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
