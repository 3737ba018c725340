import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

import { CALL_NAMES, EVENT_NAMES } from '../../electron/contract';
import { readContractNames } from '../../electron/main/ipc-channels';
import { RENDERER_ENTRY_URL } from '../../electron/main/renderer-origin';
import { guardWebContents, isSafeExternalUrl } from '../../electron/main/web-contents-guards';
import { createMainWindow, focusWindow, mainWindowOptions } from '../../electron/main/window';
import { FakeBrowserWindow, FakeWebContents, electronModule, fake, resetFakeElectron } from './fake-electron';

const names = { calls: [...CALL_NAMES], events: [...EVENT_NAMES] };
const options = { preloadPath: '/app/dist/electron/preload.cjs', contractNames: names, devTools: false };

describe('main window', () => {
  beforeEach(() => resetFakeElectron());

  it('is isolated and sandboxed, with no Node in the page and web security on', () => {
    const prefs = mainWindowOptions(options).webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.webSecurity).not.toBe(false);
    expect(prefs.allowRunningInsecureContent).not.toBe(true);
    expect(prefs.webviewTag).not.toBe(true);
    expect(prefs.preload).toBe(options.preloadPath);
    expect(prefs.devTools).toBe(false);
  });

  it('hands the contract names to the preload through its command line', () => {
    const args = mainWindowOptions(options).webPreferences!.additionalArguments!;
    expect(readContractNames(args)).toEqual(names);
  });

  it('is at least 1024×700 and loads the renderer from app://renderer, shown once ready', () => {
    const win = createMainWindow(options) as unknown as FakeBrowserWindow;
    expect(win.options).toMatchObject({ minWidth: 1024, minHeight: 700 });
    expect(win.webContents.url).toBe(RENDERER_ENTRY_URL);
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('follows the OS theme for its background until it is closed', () => {
    const win = createMainWindow(options) as unknown as FakeBrowserWindow;
    expect(win.backgroundColor).toBe('#ffffff');
    electronModule.nativeTheme.shouldUseDarkColors = true;
    electronModule.nativeTheme.emit('updated');
    expect(win.backgroundColor).not.toBe('#ffffff');
    win.destroy();
    expect(electronModule.nativeTheme.listenerCount('updated')).toBe(0);
  });

  it('focusWindow restores a minimised window and ignores a destroyed one', () => {
    const win = new FakeBrowserWindow({});
    win.minimized = true;
    focusWindow(win as never);
    expect(win.minimized).toBe(false);
    expect(win.focusCount).toBe(1);
    win.destroy();
    focusWindow(win as never);
    expect(win.focusCount).toBe(1);
  });
});

describe('web contents guards', () => {
  let contents: FakeWebContents;
  beforeEach(() => {
    resetFakeElectron();
    contents = new FakeWebContents();
    guardWebContents(contents as never);
  });

  it('cancels navigation away from the renderer and opens only https links outside', () => {
    expect(contents.fire('will-navigate', { url: 'https://example.com/docs' })).toBe(true);
    expect(contents.fire('will-navigate', { url: 'file:///etc/passwd' })).toBe(true);
    expect(contents.fire('will-navigate', { url: 'javascript:alert(1)' })).toBe(true);
    expect(contents.fire('will-navigate', { url: 'http://example.com/' })).toBe(true);
    expect(fake.openedExternal).toEqual(['https://example.com/docs']);
  });

  it('lets the renderer navigate within itself', () => {
    expect(contents.fire('will-navigate', { url: 'app://renderer/index.html#/runs' })).toBe(false);
    expect(contents.fire('will-frame-navigate', { url: 'app://renderer/index.html', isMainFrame: true })).toBe(false);
  });

  it('cancels sub-frame navigation, foreign redirects and <webview>', () => {
    expect(contents.fire('will-frame-navigate', { url: 'app://renderer/x.html', isMainFrame: false })).toBe(true);
    expect(contents.fire('will-frame-navigate', { url: 'https://example.com', isMainFrame: true })).toBe(true);
    expect(contents.fire('will-redirect', { url: 'https://example.com' })).toBe(true);
    expect(contents.fire('will-attach-webview', {})).toBe(true);
  });

  it('denies every new window; a safe https link opens in the browser instead', () => {
    const handler = contents.windowOpenHandler!;
    for (const url of ['https://docs.docker.com/', 'app://renderer/index.html', 'file:///etc', 'about:blank']) {
      expect(handler({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.openedExternal).toEqual(['https://docs.docker.com/']);
  });

  it('treats only plain https URLs without credentials as safe', () => {
    expect(isSafeExternalUrl('https://arxiv.org/abs/2012.12877')).toBe(true);
    expect(isSafeExternalUrl('https://user:pw@example.com/')).toBe(false);
    expect(isSafeExternalUrl('http://example.com/')).toBe(false);
    expect(isSafeExternalUrl('smb://server/share')).toBe(false);
    expect(isSafeExternalUrl('not a url')).toBe(false);
  });
});
