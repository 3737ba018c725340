import type { DesktopBridge } from '@contract';

declare global {
  interface Window {
    /** Present in the desktop app only (the preload's bridge); serve mode talks HTTP instead. */
    deitStudio?: DesktopBridge;
  }
}

/** The desktop bridge when running in the Electron window, else undefined. */
export function desktopBridge(): DesktopBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.deitStudio;
}
