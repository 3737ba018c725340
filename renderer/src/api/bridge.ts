import type { StudioApi } from '../../../electron/contract';

/** What the desktop app's preload exposes on `window.deitStudio`. */
export interface DesktopBridge extends StudioApi {
  /** The real path of a dropped file or folder (desktop only). */
  pathForFile?(file: File): string;
}

declare global {
  interface Window {
    deitStudio?: DesktopBridge;
  }
}

/** The desktop bridge when running in the Electron window, else undefined. */
export function desktopBridge(): DesktopBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.deitStudio;
}
