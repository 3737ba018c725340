import fs from 'node:fs/promises';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Hashed build assets can be cached; index.html must not be. */
  immutable: boolean;
}

/**
 * Reads a file of the built renderer for a URL path. Paths that leave the folder are refused;
 * unknown paths fall back to index.html (the app routes in the browser).
 */
export async function readStaticFile(rootDir: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = path.resolve(rootDir);
  const target = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (target !== root && !target.startsWith(root + path.sep)) return null;
  const file = (await isFile(target)) ? target : path.join(root, 'index.html');
  try {
    const body = await fs.readFile(file);
    return {
      body,
      contentType: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      immutable: file.includes(`${path.sep}assets${path.sep}`),
    };
  } catch {
    return null;
  }
}

async function isFile(p: string): Promise<boolean> {
  const stat = await fs.stat(p).catch(() => null);
  return stat?.isFile() ?? false;
}
