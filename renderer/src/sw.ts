/**
 * Serve mode's service worker: keeps the app shell (index.html and the build's assets) so that a
 * reload while the server is down shows the app, with its "Connection lost — reconnecting…" banner,
 * instead of the browser's error page. Network first: the copy is used only when the server cannot
 * be reached, so a running server always serves the current build. The API (/api/…: calls, the
 * event stream, downloads) and the printed `?token=` address pass through untouched and are never
 * kept (renderer/src/app/offline-shell-policy.ts decides).
 *
 * Built by scripts/build.mjs (esbuild) into dist/renderer/sw.js, with the build's asset names and an
 * id of the build (so each build installs a new worker and drops the old copies); registered in
 * serve mode only (renderer/src/app/offline-shell.ts), never in the desktop window.
 */
import { offlineCopyOf, shellUrls, staleCaches } from './app/offline-shell-policy';

/** Injected by scripts/build.mjs. */
declare const DEIT_SHELL_ASSETS: string[];
declare const DEIT_SHELL_BUILD: string;

// The worker globals, typed here: the renderer's TypeScript project has the DOM library, not WebWorker.
interface WaitEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchRequestEvent extends WaitEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  registration: { scope: string };
  clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: WaitEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchRequestEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const PREFIX = 'deit-studio-shell-';
const CACHE = `${PREFIX}${DEIT_SHELL_BUILD}`;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Static files need no token; `cache: 'reload'` skips the HTTP cache so the copy is the server's.
      await cache.addAll(shellUrls(worker.registration.scope, DEIT_SHELL_ASSETS).map(fresh));
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of staleCaches(await caches.keys(), CACHE, PREFIX)) await caches.delete(name);
      await worker.clients.claim(); // the page that registered it is covered from now on
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  const copy = offlineCopyOf(request, worker.registration.scope);
  if (!copy) return; // the browser fetches it as if there were no worker
  event.respondWith(networkFirst(event, copy.key));
});

async function networkFirst(event: FetchRequestEvent, key: string): Promise<Response> {
  const { request } = event;
  try {
    const response = await fetch(request);
    if (keepable(request, response)) {
      const kept = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, kept)));
    }
    return response;
  } catch (error) {
    const kept = await caches.match(key, { cacheName: CACHE });
    if (kept) return kept;
    throw error; // nothing kept: the browser's own error, as without the worker
  }
}

/** The server's own answer, complete; a page only when it is the app's HTML (not, say, a 404). */
function keepable(request: Request, response: Response): boolean {
  if (!response.ok || response.type !== 'basic' || response.redirected) return false;
  return request.mode !== 'navigate' || (response.headers.get('content-type') ?? '').startsWith('text/html');
}

function fresh(url: string): Request {
  return new Request(url, { cache: 'reload' });
}
