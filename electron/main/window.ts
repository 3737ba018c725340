import { BrowserWindow, nativeTheme, type BrowserWindowConstructorOptions } from 'electron';
import { contractNamesArgument, type ContractNames } from './ipc-channels';
import { RENDERER_ENTRY_URL } from './renderer-origin';

/** What the main window needs to know about the build. */
export interface MainWindowOptions {
  /** Absolute path of dist/electron/preload.cjs. */
  preloadPath: string;
  /** The contract's call and event names, handed to the preload. */
  contractNames: ContractNames;
  /** Development build: DevTools allowed. */
  devTools: boolean;
}

/** Background painted before the renderer's CSS loads, so the window does not flash white in dark mode. */
export function themeBackground(): string {
  return nativeTheme.shouldUseDarkColors ? '#1b1d21' : '#ffffff';
}

/**
 * The window's options: isolated, sandboxed, no Node in the page, web security on, no <webview>.
 * Exported so a test can read them without a window.
 */
export function mainWindowOptions(options: MainWindowOptions): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'DeiT Studio',
    backgroundColor: themeBackground(),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: options.devTools,
      additionalArguments: [contractNamesArgument(options.contractNames)],
    },
  };
}

/**
 * Creates the main window and loads the renderer from the app:// scheme. Navigation and window.open
 * are locked by the guards installed for every webContents (see web-contents-guards.ts). Light/dark
 * follows the OS through nativeTheme; the renderer's CSS reads prefers-color-scheme.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(options));
  const onThemeChange = (): void => {
    if (!win.isDestroyed()) win.setBackgroundColor(themeBackground());
  };
  nativeTheme.on('updated', onThemeChange);
  win.on('closed', () => nativeTheme.off('updated', onThemeChange));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(RENDERER_ENTRY_URL).catch(() => undefined); // a failed load shows Electron's error page
  return win;
}

/** Brings a window to the front (second launch, notification click). */
export function focusWindow(win: BrowserWindow | null | undefined): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
