/**
 * Serve mode's access token, kept by the page: in memory and in this tab's `sessionStorage` (so a
 * reload keeps it; other tabs, other ports and other sites cannot read it), sent as
 * `Authorization: Bearer` by the HTTP transport. Never in a cookie (browsers send a host's cookies to
 * every port of it), never left in the address.
 *
 *   takeTokenFromAddress();   // first thing in main.tsx: `/?token=…` → stored, and out of the address
 *   currentToken();           // the token, or null (the page then asks for it: app/TokenScreen.tsx)
 *   saveToken(pasted);        // from the token form; false when it cannot be a token
 *
 * The desktop window talks IPC and never has a token.
 */
export const TOKEN_KEY = 'deit-studio-token';

let memory: string | null = null;

type TokenStorage = Pick<Storage, 'getItem' | 'setItem'>;

function sessionStore(): TokenStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage blocked by the browser's settings: memory only (a reload asks again)
  }
}

/**
 * What can be a token: printable ASCII without spaces (it travels in an HTTP header, where anything
 * else makes fetch throw). The server makes 32 base64url characters; `DEIT_STUDIO_TOKEN` may be longer.
 */
export function validToken(value: string): boolean {
  return /^[\x21-\x7e]{1,512}$/.test(value);
}

/** The token from what a user pasted: the token itself or the whole printed address. */
export function tokenFromInput(input: string): string | null {
  const text = input.trim();
  if (/^https?:\/\//i.test(text) || text.includes('?token=')) {
    try {
      const found = new URL(text, 'http://localhost').searchParams.get('token');
      return found !== null && validToken(found) ? found : null;
    } catch {
      return null;
    }
  }
  return validToken(text) ? text : null;
}

/** Keeps `token` for this tab; false (nothing kept) when it cannot be a token. */
export function saveToken(token: string, storage: TokenStorage | null = sessionStore()): boolean {
  if (!validToken(token)) return false;
  memory = token;
  try {
    storage?.setItem(TOKEN_KEY, token);
  } catch {
    // full or blocked: memory only
  }
  return true;
}

/** The token this tab holds, or null. */
export function currentToken(storage: TokenStorage | null = sessionStore()): string | null {
  if (memory) return memory;
  try {
    const kept = storage?.getItem(TOKEN_KEY) ?? null;
    if (kept && validToken(kept)) memory = kept;
  } catch {
    // blocked: nothing kept
  }
  return memory;
}

/** Forgets the token held in memory (tests; the stored one stays unless `storage` is cleared). */
export function forgetTokenInMemory(): void {
  memory = null;
}

/**
 * The printed address `/?token=…`: keeps the token and replaces the address with the same one without
 * it (`history.replaceState`: no new history entry, and the token is in neither the address bar nor
 * the history). Runs before anything else on the page. Other query parameters and the hash stay.
 */
export function takeTokenFromAddress(
  location: Pick<Location, 'href'> = window.location,
  history: Pick<History, 'replaceState' | 'state'> = window.history,
  storage: TokenStorage | null = sessionStore(),
): void {
  const url = new URL(location.href);
  if (!url.searchParams.has('token')) return;
  const token = url.searchParams.get('token') ?? '';
  saveToken(token, storage); // a malformed one is dropped: the page then asks for the token
  url.searchParams.delete('token');
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

/** The header that carries the token, when there is one. */
export function authHeader(token: string | null = currentToken()): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/**
 * Asks the server whether `token` is the one it printed (a cheap call, `app.info`, with it as Bearer):
 * `ok`, `wrong` (401), or `unreachable` (no answer, or another answer). The token form checks before
 * keeping a pasted token, so a wrong one is said at once instead of failing on every panel.
 */
export async function checkToken(token: string, baseUrl = ''): Promise<'ok' | 'wrong' | 'unreachable'> {
  try {
    const res = await fetch(`${baseUrl}/api/call/app.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: '{}',
      credentials: 'omit',
    });
    if (res.status === 401) return 'wrong';
    return res.ok ? 'ok' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}
