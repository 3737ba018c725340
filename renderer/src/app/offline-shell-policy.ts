/**
 * Which requests serve mode's service worker (renderer/src/sw.ts) keeps a copy of, so that a reload
 * while the server is down still shows the app (which then says "Connection lost — reconnecting…").
 * Only the app shell: the page itself (every page address is the same index.html; the app routes
 * after the #) and the build's files under assets/. Never the API (answers, the event stream,
 * downloads), never an address that carries the access token, never anything but GET.
 *
 *   offlineCopyOf({ url, method, mode }, scope)
 *   // → { key: scope }             a page: network first, the copy of index.html when it fails
 *   // → { key: url without query } a build asset: network first, its copy when it fails
 *   // → null                       not ours: the worker lets the browser fetch it as usual
 */
export interface OfflineRequest {
  url: string;
  method: string;
  /** Request.mode: 'navigate' for loading a page. */
  mode: string;
}

export interface OfflineCopy {
  /** The address the copy is kept under. */
  key: string;
}

export function offlineCopyOf(request: OfflineRequest, scope: string): OfflineCopy | null {
  if (request.method !== 'GET') return null;
  let url: URL;
  let root: URL;
  try {
    url = new URL(request.url);
    root = new URL(scope);
  } catch {
    return null;
  }
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
  const path = url.pathname.slice(root.pathname.length);
  if (path === 'api' || path.startsWith('api/')) return null;
  // The printed address `/?token=…` (the page takes the token out itself): never answered from a copy nor kept,
  // so no token is ever written to the Cache API.
  if (url.searchParams.has('token')) return null;
  if (request.mode === 'navigate') return { key: root.href };
  if (path.startsWith('assets/') && !path.includes('..')) return { key: `${url.origin}${url.pathname}` };
  return null;
}

/** The build's files to fetch when the worker is installed: the page and its assets (relative paths). */
export function shellUrls(scope: string, assets: readonly string[]): string[] {
  return [scope, ...assets.map((asset) => new URL(`assets/${asset}`, scope).href)];
}

/** Caches of this app that are not the current build's (deleted when a new worker takes over). */
export function staleCaches(names: readonly string[], current: string, prefix: string): string[] {
  return names.filter((name) => name.startsWith(prefix) && name !== current);
}
