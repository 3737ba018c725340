import type { StudioApi } from '@contract';
import { desktopBridge } from './bridge';
import { createHttpApi } from './http-transport';

let instance: StudioApi | null = null;

/** The one API the renderer uses: the preload bridge in the desktop app, else HTTP (serve mode). */
export function api(): StudioApi {
  if (!instance) instance = desktopBridge() ?? createHttpApi();
  return instance;
}

/** Replaces the API (component tests pass an in-memory one). */
export function setApi(next: StudioApi | null): void {
  instance = next;
}

/** True in the Electron window, where native dialogs and drag-and-drop paths exist. */
export function isDesktop(): boolean {
  return desktopBridge() !== undefined;
}
