import { useSyncExternalStore } from 'react';

/**
 * Whether the page can reach DeiT Studio's core (serve mode: the server over HTTP; the desktop
 * window's core is in its own process and never goes away). The HTTP transport reports here; the
 * app shows a banner, and data the page shows is read again after a loss (`recoveries`).
 *
 *   connection.lost();            // a call or the event stream could not reach the server
 *   connection.restored();        // it answers again: recoveries + 1
 *   connection.tokenRejected();   // it answers 401: the server restarted with a new token
 *   connection.reachedBefore();   // this tab reached the server before a reload
 */
export type ConnectionState = 'connected' | 'reconnecting' | 'token_rejected';

export interface ConnectionSnapshot {
  state: ConnectionState;
  /** How many times the connection came back after a loss (a reason to read everything again). */
  recoveries: number;
  /** Whether this page ever reached the server (a rejected token then means it restarted). */
  everConnected: boolean;
}

export class ConnectionStatus {
  private snapshot: ConnectionSnapshot = { state: 'connected', recoveries: 0, everConnected: false };
  private readonly listeners = new Set<() => void>();

  get = (): ConnectionSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  lost(): void {
    if (this.snapshot.state === 'connected') this.set({ ...this.snapshot, state: 'reconnecting' });
  }

  restored(): void {
    const { state, recoveries } = this.snapshot;
    if (state === 'connected') {
      if (!this.snapshot.everConnected) this.set({ ...this.snapshot, everConnected: true });
      return;
    }
    this.set({ state: 'connected', recoveries: recoveries + 1, everConnected: true });
  }

  /** This tab reached the server before this load (remembered across a reload; app/offline-shell.ts). */
  reachedBefore(): void {
    if (!this.snapshot.everConnected) this.set({ ...this.snapshot, everConnected: true });
  }

  tokenRejected(): void {
    if (this.snapshot.state !== 'token_rejected') this.set({ ...this.snapshot, state: 'token_rejected' });
  }

  private set(next: ConnectionSnapshot): void {
    this.snapshot = next;
    for (const listener of [...this.listeners]) listener();
  }
}

/** The page's one connection status. */
export const connection = new ConnectionStatus();

/** The connection status (the page's, unless told), re-rendering when it changes. */
export function useConnection(status: ConnectionStatus = connection): ConnectionSnapshot {
  return useSyncExternalStore(status.subscribe, status.get, status.get);
}
