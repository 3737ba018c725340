import { app, BrowserWindow, dialog, Menu, Notification, protocol, session, shell } from 'electron';
import { CALL_NAMES, EVENT_NAMES } from '../contract';
import { createCore, type StudioCore } from '../core/app-core';
import { APP_ID } from './app-id';
import { appMenuTemplate } from './app-menu';
import type { DesktopPaths } from './desktop-paths';
import { forwardEvents } from './event-forwarding';
import { registerIpcHandlers } from './ipc';
import { createNativeServices } from './native-services';
import { RENDERER_SCHEME } from './renderer-origin';
import { createRendererProtocolHandler, RENDERER_SCHEME_PRIVILEGES } from './renderer-protocol';
import { watchRunEnds, type Notice } from './run-notifications';
import { hardenSession } from './session-hardening';
import { guardWebContents, openExternalIfSafe } from './web-contents-guards';
import { createMainWindow, focusWindow } from './window';

/** The running desktop app, for the entry point and tests. */
export interface DesktopApp {
  core: StudioCore;
  mainWindow(): BrowserWindow | null;
}

/** How long quitting waits for the core to stop its services before giving up on them. */
const CLOSE_TIMEOUT_MS = 5000;

/** Closes the core once when the app quits, then lets the quit go on (also when close hangs or fails). */
function closeCoreOnQuit(close: () => Promise<void>): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
    void Promise.race([close().catch(() => undefined), timeout]).then(() => {
      state = 'closed';
      app.quit();
    });
  });
}

/** Notifications on screen; held so they are not garbage-collected (and lose their click handler). */
const visibleNotices = new Set<Notification>();

/** Shows a desktop notification; clicking it brings the window back. */
function showNotice(notice: Notice, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const note = new Notification({ title: notice.title, body: notice.body });
  visibleNotices.add(note);
  note.on('click', () => {
    visibleNotices.delete(note);
    onClick();
  });
  note.on('close', () => visibleNotices.delete(note));
  note.show();
}

/**
 * Starts the desktop app: one instance only, the app:// renderer scheme, a hardened session, the core
 * with native dialogs, IPC for every contract call, event forwarding, run-end notifications, the menu
 * and the window. Resolves to null when another instance is already running (it gets focused instead)
 * or the core could not start.
 */
export async function startDesktopApp(paths: DesktopPaths): Promise<DesktopApp | null> {
  protocol.registerSchemesAsPrivileged([RENDERER_SCHEME_PRIVILEGES]); // only allowed before 'ready'
  app.enableSandbox();
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let mainWindow: BrowserWindow | null = null;
  app.on('second-instance', () => focusWindow(mainWindow));
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

  await app.whenReady();
  hardenSession(session.defaultSession);
  protocol.handle(RENDERER_SCHEME, createRendererProtocolHandler(paths.rendererDir));

  let core: StudioCore;
  try {
    core = await createCore({
      shell: 'desktop',
      version: app.getVersion(),
      dataDir: app.getPath('userData'),
      trainerDir: paths.trainerDir,
      sampleArchive: paths.sampleArchive,
      ...createNativeServices(() => mainWindow),
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('DeiT Studio could not start', detail);
    app.quit();
    return null;
  }
  const studio = core;
  const disposeIpc = registerIpcHandlers(studio.handlers);
  const stopEvents = forwardEvents(studio.bus, () => BrowserWindow.getAllWindows());
  const stopNotices = watchRunEnds(studio.bus, {
    appFocused: () => BrowserWindow.getFocusedWindow() !== null,
    show: (notice) => showNotice(notice, () => focusWindow(mainWindow)),
  });
  const isDev = !app.isPackaged;
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        isMac: process.platform === 'darwin',
        isDev,
        openDataFolder: () => void shell.openPath(studio.context.paths.dataDir),
        openExternal: (url) => void openExternalIfSafe(url),
      }),
    ),
  );

  const openWindow = (): void => {
    const win = createMainWindow({
      preloadPath: paths.preloadPath,
      contractNames: { calls: [...CALL_NAMES], events: [...EVENT_NAMES] },
      devTools: isDev,
    });
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    mainWindow = win;
  };
  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow(); // macOS: click on the dock icon
  });
  app.on('window-all-closed', () => {
    // Training runs in containers and goes on; macOS apps conventionally stay open without windows.
    if (process.platform !== 'darwin') app.quit();
  });
  closeCoreOnQuit(async () => {
    stopNotices();
    stopEvents();
    disposeIpc();
    await studio.close();
  });
  return { core: studio, mainWindow: () => mainWindow };
}
