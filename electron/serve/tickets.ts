import crypto from 'node:crypto';

/**
 * Download tickets: what lets the browser fetch a file with a plain link (`<a download>` sends no
 * `Authorization` header) without the token ever being in an address. The page asks for one with
 * its token, for one address, then follows `<address>?ticket=…`:
 *
 *   POST /api/ticket {"path": "/api/download/runs/r1/zip"}   (Authorization: Bearer <token>)
 *   → {"ok": true, "value": {"ticket": "…", "url": "/api/download/runs/r1/zip?ticket=…", "expiresInS": 60}}
 *   GET /api/download/runs/r1/zip?ticket=…                    once, within 60 s
 *
 * A ticket is good for that one path, once (used up by its first request, whether it matches or
 * not), and for `ttlMs`; a leaked one (history, a log) is worthless soon after. Only digests are kept,
 * so a lookup does not compare the secret itself; at most `max` wait at once (the oldest go first).
 *
 *   const tickets = new TicketStore();
 *   const t = tickets.issue('/api/download/runs/r1/zip');
 *   tickets.redeem(t, '/api/download/runs/r1/zip'); // true, once
 */
export const TICKET_TTL_MS = 60_000;

export class TicketStore {
  private readonly waiting = new Map<string, { path: string; expires: number }>();

  constructor(
    private readonly ttlMs = TICKET_TTL_MS,
    private readonly now: () => number = Date.now,
    private readonly max = 256,
  ) {}

  /** A new ticket for `path` (a URL path as the server parses it, e.g. `new URL(x).pathname`). */
  issue(path: string): string {
    this.prune();
    while (this.waiting.size >= this.max) {
      const oldest = this.waiting.keys().next().value;
      if (oldest === undefined) break;
      this.waiting.delete(oldest);
    }
    const ticket = crypto.randomBytes(24).toString('base64url');
    this.waiting.set(digest(ticket), { path, expires: this.now() + this.ttlMs });
    return ticket;
  }

  /** True when `ticket` was issued for exactly `path` and has not expired; it is used up either way. */
  redeem(ticket: string | null, path: string): boolean {
    if (!ticket) return false;
    const key = digest(ticket);
    const entry = this.waiting.get(key);
    if (!entry) return false;
    this.waiting.delete(key);
    return entry.path === path && this.now() < entry.expires;
  }

  /** How many tickets wait (for tests). */
  get size(): number {
    this.prune();
    return this.waiting.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.waiting) if (entry.expires <= now) this.waiting.delete(key);
  }

  get ttlSeconds(): number {
    return Math.round(this.ttlMs / 1000);
  }
}

function digest(ticket: string): string {
  return crypto.createHash('sha256').update(ticket).digest('hex');
}
