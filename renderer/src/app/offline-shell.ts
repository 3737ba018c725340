import { isDesktop } from '../api/api';
import { connection as pageConnection, type ConnectionStatus } from '../api/connection';

/** Session storage key: this tab reached the server before (kept across reloads of the tab only). */
export const REACHED_KEY = 'deit-studio-reached-server';

/**
 * Serve mode only: registers the service worker (dist/renderer/sw.js, from renderer/src/sw.ts) that
 * keeps the app shell, so a reload while the server is down shows the app and its "Connection lost"
 * banner, and it catches up when the server is back. The desktop window loads its files from disk and
 * never registers it; neither does the Vite dev server (no sw.js there).
 *
 * It also remembers, for this tab, that the page reached the server: after a reload (from the
 * worker's copy or not), a token the server no longer accepts then reads "The server restarted"
 * rather than "This page needs the server's access token".
 *
 *   registerOfflineShell();   // once, in main.tsx
 */
export function registerOfflineShell(status: ConnectionStatus = pageConnection): void {
  if (isDesktop() || !import.meta.env.PROD) return;
  rememberReached(status, window.sessionStorage);
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return; // http://127.0.0.1 is secure; a LAN IP is not
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((error: unknown) => {
    console.warn('DeiT Studio: no offline copy of the app (the service worker did not register).', error);
  });
}

/** Carries "this tab reached the server" over reloads, through `storage` (session storage). */
export function rememberReached(status: ConnectionStatus, storage: Pick<Storage, 'getItem' | 'setItem'>): void {
  if (storage.getItem(REACHED_KEY) === 'yes') status.reachedBefore();
  const save = () => {
    if (status.get().everConnected) storage.setItem(REACHED_KEY, 'yes');
  };
  save();
  status.subscribe(save);
}
