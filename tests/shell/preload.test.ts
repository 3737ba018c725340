import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

import { CALL_NAMES, EVENT_NAMES, type StudioApi } from '../../electron/contract';
import { registerIpcHandlers } from '../../electron/main/ipc';
import { callChannel, contractNamesArgument, eventChannel } from '../../electron/main/ipc-channels';
import type { DesktopBridge } from '../../electron/contract';
import { createTestCore } from './core-fixture';
import { preloadBundle } from '../../scripts/esbuild-options.mjs';
import { FakeBrowserWindow, fake, resetFakeElectron } from './fake-electron';

const contractArg = contractNamesArgument({ calls: [...CALL_NAMES], events: [...EVENT_NAMES] });

/** Runs the preload as Electron would (fresh module, the window's extra arguments in argv). */
async function loadPreload(withNames = true): Promise<DesktopBridge> {
  const argv = process.argv;
  process.argv = withNames ? [...argv, contractArg] : [...argv];
  try {
    vi.resetModules();
    await import('../../electron/preload/preload');
  } finally {
    process.argv = argv;
  }
  return fake.exposed.get('deitStudio') as DesktopBridge;
}

describe('preload', () => {
  let env: Awaited<ReturnType<typeof createTestCore>>;
  let disposeIpc: () => void;

  beforeEach(async () => {
    resetFakeElectron();
    env = await createTestCore();
    disposeIpc = registerIpcHandlers(env.core.handlers);
  });
  afterEach(async () => {
    disposeIpc();
    await env.dispose();
  });

  it('exposes exactly call, on and pathForFile as window.deitStudio, and nothing else', async () => {
    const api = await loadPreload();
    expect([...fake.exposed.keys()]).toEqual(['deitStudio']);
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'pathForFile']);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('carries a call to the main process and back as a Result, through the real core', async () => {
    const api: StudioApi = await loadPreload();
    const result = await api.call('app.info', {});
    expect(result).toMatchObject({ ok: true, value: { shell: 'desktop', version: '9.8.7' } });
    expect(fake.invokes.map((i) => i.channel)).toEqual([callChannel('app.info')]);
  });

  it('refuses a name outside the contract without any IPC', async () => {
    const api = await loadPreload();
    const result = await api.call('shell.exec' as never, {} as never);
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(fake.invokes).toHaveLength(0);
  });

  it('refuses every call when the window was not given the contract names', async () => {
    const api = await loadPreload(false);
    expect(await api.call('app.info', {})).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(fake.invokes).toHaveLength(0);
  });

  it('resolves to a typed error when IPC itself fails, never rejects', async () => {
    const api = await loadPreload();
    const result = await api.call('dialog.pickFolder', { title: (() => 'x') as never });
    expect(result).toMatchObject({ ok: false, error: { kind: 'internal' } });
  });

  it('delivers contract events with the payload only, until unsubscribed', async () => {
    const api = await loadPreload();
    const win = new FakeBrowserWindow({});
    fake.rendererContents = win.webContents;
    const received: unknown[][] = [];
    const unsubscribe = api.on('gpu.warning', (...args: unknown[]) => received.push(args));
    win.webContents.send(eventChannel('gpu.warning'), { gpuIndex: 0, code: 'hot', message: 'GPU 0 is hot' });
    unsubscribe();
    unsubscribe(); // a second call is harmless
    win.webContents.send(eventChannel('gpu.warning'), { gpuIndex: 0, code: 'hot', message: 'again' });
    expect(received).toEqual([[{ gpuIndex: 0, code: 'hot', message: 'GPU 0 is hot' }]]);
  });

  it('refuses to subscribe to an event outside the contract', async () => {
    const api = await loadPreload();
    expect(() => api.on('process.exit' as never, () => undefined)).toThrow(/no event named/);
  });

  it('gives the path of a dropped file through webUtils, and "" for anything else', async () => {
    const api = await loadPreload();
    const dropped = new File(['x'], 'cats');
    fake.filePaths.set(dropped, '/home/me/cats');
    expect(api.pathForFile(dropped)).toBe('/home/me/cats');
    expect(api.pathForFile(new File(['y'], 'made-in-page'))).toBe('');
    expect(api.pathForFile('not a file' as never)).toBe('');
  });
});

describe('preload bundle', () => {
  it('bundles to one small CommonJS file that requires only electron (sandboxed preloads can load nothing else)', async () => {
    const result = await build({ ...preloadBundle, write: false, logLevel: 'silent' }); // as scripts/build.mjs
    const code = result.outputFiles[0]!.text;
    const requires = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toContain('ZodError');
    expect(code.length).toBeLessThan(20_000);
  });
});
