import type { Session } from 'electron';
import { isRendererUrl } from './renderer-origin';

/** Permissions the renderer may use: only writing text to the clipboard ("copy path"). */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** Schemes the renderer may never load from: the network and the local disk. */
const BLOCKED_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

/** True when the renderer's session may make this request (no remote content, no file:// reads). */
export function isAllowedRequestUrl(url: string): boolean {
  try {
    return !BLOCKED_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** True when our renderer may be granted this permission. */
export function isAllowedPermission(permission: string, origin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isRendererUrl(origin);
}

/**
 * Hardens the session the window uses: denies every permission request (camera, geolocation,
 * notifications from the page, …) except clipboard writes from our renderer, and cancels any request
 * to the network or to file:// as a second lock behind the CSP. Desktop notifications come from the
 * main process, so the page itself never needs the notification permission.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(isAllowedPermission(permission, contents.getURL()));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isAllowedPermission(permission, requestingOrigin),
  );
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(details.url) });
  });
}
