import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

import { CALL_NAMES, type RunSummary } from '../../electron/contract';
import { startDesktopApp, type DesktopApp } from '../../electron/main/desktop-app';
import { desktopPaths } from '../../electron/main/desktop-paths';
import { callChannel, eventChannel } from '../../electron/main/ipc-channels';
import { FakeBrowserWindow, electronModule, fake, invokeMain, resetFakeElectron } from './fake-electron';

const paths = desktopPaths('/opt/deit/resources/app.asar/dist/electron', true, '/opt/deit/resources');
const ours = { url: 'app://renderer/index.html', parent: null };

function summary(status: RunSummary['status']): RunSummary {
  return { id: 'r1', name: 'cats', status, epochsDone: 2, epochs: 2, bestValTop1: null, failure: null } as RunSummary;
}

describe('desktop paths', () => {
  it('finds docker/ under resources when packaged and in the repository in development', () => {
    expect(paths).toEqual({
      rendererDir: path.join('/opt/deit/resources/app.asar/dist/renderer'),
      preloadPath: path.join('/opt/deit/resources/app.asar/dist/electron/preload.cjs'),
      trainerDir: path.join('/opt/deit/resources/docker'),
      sampleArchive: path.join('/opt/deit/resources/sample-digits.tar.gz'),
    });
    const dev = desktopPaths('/repo/dist/electron', false, '/ignored');
    expect(dev.trainerDir).toBe(path.join('/repo/docker'));
    expect(dev.sampleArchive).toBe(path.join('/repo/assets/sample-digits.tar.gz'));
  });
});

describe('desktop app lifecycle', () => {
  let started: DesktopApp | null = null;

  beforeEach(async () => {
    resetFakeElectron();
    fake.userData = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-desktop-'));
  });
  afterEach(async () => {
    await started?.core.close();
    started = null;
    await fs.rm(fake.userData, { recursive: true, force: true });
  });

  it('quits at once when another instance holds the lock, before building anything', async () => {
    fake.singleInstance = false;
    expect(await startDesktopApp(paths)).toBeNull();
    expect(fake.quitCalls).toBe(1);
    expect(FakeBrowserWindow.all).toHaveLength(0);
    expect(fake.handlers.size).toBe(0);
  });

  it('registers the scheme before ready, then hardens, serves, routes and opens the window', async () => {
    started = await startDesktopApp(paths);
    expect(fake.sandboxEnabled).toBe(true);
    expect(fake.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
    expect(fake.protocolHandlers.has('app')).toBe(true);
    expect(fake.session.permissionRequest).not.toBeNull();
    expect(fake.session.beforeRequest).not.toBeNull();
    expect(fake.handleRegistrations).toHaveLength(CALL_NAMES.length);
    expect(fake.menu).not.toBeNull();
    const [win] = FakeBrowserWindow.all;
    expect(win!.webContents.url).toBe('app://renderer/index.html');
    expect(win!.webContents.windowOpenHandler).not.toBeNull(); // guarded through 'web-contents-created'
    expect(await invokeMain(callChannel('app.info'), ours, {})).toMatchObject({
      ok: true,
      value: { shell: 'desktop', version: '0.1.0-test', dataDir: fake.userData },
    });
  });

  it('opens the native folder dialog on the window for dialog.pickFolder', async () => {
    started = await startDesktopApp(paths);
    const result = await invokeMain(callChannel('dialog.pickFolder'), ours, {});
    expect(result).toEqual({ ok: true, value: { path: '/data/flowers' } });
    expect(fake.dialogCalls[0]!.parent).toBe(FakeBrowserWindow.all[0]);
    expect(fake.dialogCalls[0]!.options.properties).toEqual(['openDirectory']);
    fake.dialogResult = { canceled: true, filePaths: [] };
    expect(await invokeMain(callChannel('dialog.pickFolder'), ours, {})).toEqual({ ok: true, value: { path: null } });
  });

  it('opens the native file dialog, limited to the asked extensions, for dialog.pickFile', async () => {
    started = await startDesktopApp(paths);
    fake.dialogResult = { canceled: false, filePaths: ['/home/ann/model.safetensors'] };
    const result = await invokeMain(callChannel('dialog.pickFile'), ours, { extensions: ['safetensors', 'pth'] });
    expect(result).toEqual({ ok: true, value: { path: '/home/ann/model.safetensors' } });
    expect(fake.dialogCalls[0]!.parent).toBe(FakeBrowserWindow.all[0]);
    expect(fake.dialogCalls[0]!.options).toMatchObject({
      properties: ['openFile'],
      filters: [{ name: 'safetensors, pth', extensions: ['safetensors', 'pth'] }],
    });
  });

  it('focuses the existing window on a second launch', async () => {
    started = await startDesktopApp(paths);
    const win = FakeBrowserWindow.all[0]!;
    win.minimized = true;
    electronModule.app.emit('second-instance');
    expect(win.minimized).toBe(false);
    expect(win.focusCount).toBe(1);
  });

  it('forwards core events to the window and notifies of a run end while in the background', async () => {
    const desktop = (started = await startDesktopApp(paths))!;
    const win = FakeBrowserWindow.all[0]!;
    desktop.core.bus.emit('run.updated', summary('running'));
    desktop.core.bus.emit('run.updated', summary('finished'));
    expect(win.webContents.sent.map((s) => s.channel)).toEqual([
      eventChannel('run.updated'),
      eventChannel('run.updated'),
    ]);
    expect(fake.notifications).toEqual([
      { options: expect.objectContaining({ title: 'Training finished: cats' }), shown: true },
    ]);
  });

  it('closes the core once on quit, removes the IPC handlers, then lets the app quit', async () => {
    const desktop = (started = await startDesktopApp(paths))!;
    const close = vi.spyOn(desktop.core, 'close');
    const { app } = electronModule;
    app.quit();
    app.quit(); // a second request while closing is held too
    expect(fake.quitted).toBe(false);
    await vi.waitFor(() => expect(fake.quitted).toBe(true));
    expect(close).toHaveBeenCalledTimes(1);
    expect(fake.handlers.size).toBe(0);
    started = null;
  });

  it('quits when the last window closes (except on macOS), closing the core first', async () => {
    started = await startDesktopApp(paths);
    FakeBrowserWindow.all[0]!.destroy();
    electronModule.app.emit('window-all-closed');
    if (process.platform === 'darwin') return;
    await vi.waitFor(() => expect(fake.quitted).toBe(true));
    started = null;
  });
});
