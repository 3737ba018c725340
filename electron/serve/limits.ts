import type http from 'node:http';
import type net from 'node:net';

/**
 * What one serve-mode server accepts at once. A browser tab holds one event stream and a few
 * connections (HTTP/1.1 browsers open at most 6 per host), so the defaults leave room for many tabs
 * and scripts while a runaway client cannot exhaust the server's sockets or memory.
 *
 *   const over = limitConnections(server, limits.maxConnections);
 *   if (over(req.socket)) → answer 503 (see server.ts)
 */
export interface ServeLimits {
  /** Open connections answered normally; the next ones get 503 and are closed. */
  maxConnections: number;
  /** Open event streams (`GET /api/events`); the next one gets 503. */
  maxEventClients: number;
  /** Largest API request body; larger ones get 413 and the connection is closed. */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: ServeLimits = {
  maxConnections: 128,
  maxEventClients: 32,
  maxBodyBytes: 1024 * 1024,
};

/** How long a refused connection may stay open without sending its request. */
const REFUSED_IDLE_MS = 10_000;

/**
 * Counts open connections. Those past `max` are marked (the returned test says so) rather than
 * dropped, so their request gets a readable 503; past twice `max` Node drops them without an answer
 * (`server.maxConnections`), so refused clients cannot pile up either.
 */
export function limitConnections(server: http.Server, max: number): (socket: net.Socket) => boolean {
  const open = new Set<net.Socket>();
  const refused = new WeakSet<net.Socket>();
  server.maxConnections = 2 * max;
  server.on('connection', (socket: net.Socket) => {
    if (open.size >= max) {
      refused.add(socket);
      socket.setTimeout(REFUSED_IDLE_MS, () => socket.destroy());
      return;
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return (socket) => refused.has(socket);
}
