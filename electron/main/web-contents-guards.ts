import { shell, type WebContents } from 'electron';
import { isRendererUrl } from './renderer-origin';

/** True for a link we may hand to the user's browser: plain https, no credentials in the URL. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** Opens a link in the user's browser when it is safe; returns whether it did. */
export function openExternalIfSafe(url: string): boolean {
  if (!isSafeExternalUrl(url)) return false;
  void shell.openExternal(url).catch(() => undefined); // no browser configured: nothing useful to report
  return true;
}

/**
 * Locks a webContents to our renderer: navigation anywhere else is cancelled (an https link opens in the
 * user's browser instead), every window.open is denied, and <webview> cannot be attached. Applied to
 * every webContents the app creates (app 'web-contents-created').
 */
export function guardWebContents(contents: WebContents): void {
  const blockForeign = (event: { url: string; preventDefault(): void }): void => {
    if (isRendererUrl(event.url)) return;
    event.preventDefault();
    openExternalIfSafe(event.url);
  };
  contents.on('will-navigate', (event) => blockForeign(event));
  contents.on('will-frame-navigate', (event) => {
    // Sub-frames are also refused by CSP frame-src 'none'; this is the second lock.
    if (!event.isMainFrame) event.preventDefault();
    else if (!isRendererUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isRendererUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfSafe(url);
    return { action: 'deny' };
  });
}
