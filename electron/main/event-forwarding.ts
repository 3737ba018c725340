import type { EventBus } from '../core/event-bus';
import { eventChannel } from './ipc-channels';
import { isRendererUrl } from './renderer-origin';

/** The part of a BrowserWindow that event forwarding uses. */
export interface EventTargetWindow {
  isDestroyed(): boolean;
  readonly webContents: {
    isDestroyed(): boolean;
    getURL(): string;
    send(channel: string, payload: unknown): void;
  };
}

/**
 * Forwards every core event to the windows showing our renderer, in the order the bus emits them, on
 * one channel per event. Destroyed windows and pages that are not our renderer get nothing.
 * Returns the unsubscribe function.
 */
export function forwardEvents(bus: EventBus, windows: () => readonly EventTargetWindow[]): () => void {
  return bus.subscribe((name, payload) => {
    const channel = eventChannel(name);
    for (const win of windows()) {
      if (win.isDestroyed() || win.webContents.isDestroyed()) continue;
      if (!isRendererUrl(win.webContents.getURL())) continue;
      try {
        win.webContents.send(channel, payload);
      } catch {
        // The page went away between the check and the send: the next event skips it.
      }
    }
  });
}
