import { connection as pageConnection, type ConnectionStatus } from './connection';
import { authHeader, currentToken } from './token';

/**
 * Serve mode's downloads (the run folder as a zip, an export, a prediction CSV): a plain link cannot
 * send the token's header, so the page first trades its token for a ticket good once, for this one
 * address, for a minute (`POST /api/ticket`, electron/serve/tickets.ts), then lets the browser follow
 * `<address>?ticket=…` as a download. The token itself never goes into an address.
 *
 *   <a href={url} download={name} onClick={(e) => { e.preventDefault(); void downloadFile(url, name); }}>
 *
 * Returns null when the browser was sent on its way, else what went wrong in plain words (the
 * connection banner says more when the server is down or the token is no longer accepted).
 */
export async function downloadFile(
  path: string,
  name: string,
  options: {
    token?: () => string | null;
    status?: ConnectionStatus;
    follow?: (url: string, name: string) => void;
  } = {},
): Promise<string | null> {
  const { token = currentToken, status = pageConnection, follow = followLink } = options;
  let reply: Response;
  try {
    reply = await fetch('/api/ticket', {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json', ...authHeader(token()) },
      body: JSON.stringify({ path }),
    });
  } catch {
    status.lost();
    return 'DeiT Studio’s server does not answer, so the download could not start.';
  }
  if (reply.status === 401) {
    status.tokenRejected();
    return 'The server no longer accepts this page’s access token.';
  }
  const body = (await reply.json().catch(() => null)) as { ok?: boolean; value?: { url?: string } } | null;
  const url = body?.ok ? body.value?.url : undefined;
  if (!url) return 'The server refused the download.';
  follow(url, name);
  return null;
}

/** Lets the browser download `url` as `name`, like a click on an `<a download>` link. */
function followLink(url: string, name: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}
