import type { StudioApi } from '@contract';
import { desktopBridge } from './bridge';
import { createHttpApi } from './http-transport';
import { currentToken } from './token';

let instance: StudioApi | null = null;
/** A test gave its own API (setApi). */
let replaced = false;

/** The one API the renderer uses: the preload bridge in the desktop app, else HTTP (serve mode). */
export function api(): StudioApi {
  if (!instance) instance = desktopBridge() ?? createHttpApi();
  return instance;
}

/** Replaces the API (component tests pass an in-memory one). */
export function setApi(next: StudioApi | null): void {
  instance = next;
  replaced = next !== null;
}

/** True in the Electron window, where native dialogs and drag-and-drop paths exist. */
export function isDesktop(): boolean {
  return desktopBridge() !== undefined;
}

/**
 * True when the page talks HTTP (serve mode) and holds no access token: it then asks for one
 * (app/TokenScreen.tsx) instead of starting. Never in the desktop window, nor with an API a test set.
 */
export function needsToken(): boolean {
  return !isDesktop() && !replaced && currentToken() === null;
}
