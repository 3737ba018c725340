/**
 * Where the renderer lives. It is served from a privileged custom scheme (`app://renderer/`) rather than
 * file://, so it has a real origin of its own: the IPC sender check and CSP `'self'` then mean "our
 * bundled files" and not "any file on the disk", and module scripts and fetch behave as on the web.
 */
export const RENDERER_SCHEME = 'app';
/** The one host the scheme serves; any other host is refused. */
export const RENDERER_HOST = 'renderer';
/** What the window loads. */
export const RENDERER_ENTRY_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`;

/** True when a URL belongs to our renderer (scheme and host both match). */
export function isRendererUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // WHATWG URL reports origin "null" for non-special schemes, so compare scheme and host instead.
  return parsed.protocol === `${RENDERER_SCHEME}:` && parsed.host === RENDERER_HOST && !parsed.username;
}

/** The part of Electron's WebFrameMain the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/**
 * True when an IPC message comes from the top frame of our renderer. A missing frame (navigated away or
 * destroyed), a sub-frame or any other URL is untrusted.
 */
export function isTrustedFrame(frame: FrameLike | null | undefined): boolean {
  if (!frame) return false;
  try {
    return frame.parent === null && isRendererUrl(frame.url);
  } catch {
    return false; // reading a disposed frame throws in Electron
  }
}
