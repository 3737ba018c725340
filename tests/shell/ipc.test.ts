import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

import { AppError, CALL_NAMES, type Handlers } from '../../electron/contract';
import { registerIpcHandlers } from '../../electron/main/ipc';
import { callChannel } from '../../electron/main/ipc-channels';
import { createTestCore } from './core-fixture';
import { fake, invokeMain, resetFakeElectron, type FakeFrame } from './fake-electron';

const ours: FakeFrame = { url: 'app://renderer/index.html', parent: null };
const foreignFrames: Array<[string, FakeFrame | null]> = [
  ['a web page', { url: 'https://evil.example/index.html', parent: null }],
  ['a file:// page', { url: 'file:///home/user/index.html', parent: null }],
  ['another app:// host', { url: 'app://evil/index.html', parent: null }],
  ['a sub-frame of our page', { url: 'app://renderer/index.html', parent: ours }],
  ['a frame that is gone', null],
];

describe('IPC registration', () => {
  let env: Awaited<ReturnType<typeof createTestCore>>;
  let dispose: () => void;

  beforeEach(async () => {
    resetFakeElectron();
    env = await createTestCore();
    dispose = registerIpcHandlers(env.core.handlers);
  });
  afterEach(async () => {
    dispose();
    await env.dispose();
  });

  it('registers exactly one handler per contract call, on its own channel', () => {
    expect(fake.handleRegistrations).toHaveLength(CALL_NAMES.length);
    expect(new Set(fake.handleRegistrations)).toEqual(new Set(CALL_NAMES.map(callChannel)));
  });

  it('refuses every call from anything but our top frame with a typed unauthorized result', async () => {
    for (const name of CALL_NAMES) {
      for (const [, frame] of foreignFrames) {
        const result = await invokeMain(callChannel(name), frame, {});
        expect(result, `${name}`).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
      }
    }
  });

  it('validates the input of every call before its handler runs', async () => {
    for (const name of CALL_NAMES) {
      const result = await invokeMain(callChannel(name), ours, 'not an object');
      expect(result, name).toMatchObject({ ok: false, error: { kind: 'validation' } });
    }
  });

  it('names the bad field of a malformed request', async () => {
    const result = (await invokeMain(callChannel('runs.log'), ours, { id: '../../etc' })) as {
      ok: false;
      error: { kind: string; message: string };
    };
    expect(result.error.kind).toBe('validation');
    expect(result.error.message).toContain('id');
  });

  it('routes a good call from our renderer to the real core', async () => {
    const result = await invokeMain(callChannel('app.info'), ours, {});
    expect(result).toMatchObject({ ok: true, value: { shell: 'desktop', version: '9.8.7', dataDir: env.dataDir } });
  });

  it('reaches the shell services the core was given (the native folder dialog)', async () => {
    const result = await invokeMain(callChannel('dialog.pickFolder'), ours, { title: 'Pick' });
    expect(result).toEqual({ ok: true, value: { path: '/data/cats' } });
  });

  it('returns a typed error result, not a rejection, when the core fails', async () => {
    const result = await invokeMain(callChannel('runs.list'), ours, {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'not_available' } });
  });

  it('removes every handler when disposed', () => {
    dispose();
    expect(fake.handlers.size).toBe(0);
    dispose = () => undefined;
  });
});

describe('IPC errors', () => {
  beforeEach(() => resetFakeElectron());

  it('maps an unexpected exception to an internal error without a stack', async () => {
    const handlers = {
      'app.info': async () => {
        throw new TypeError('boom at Object.<anonymous> (/app/x.js:1:1)');
      },
    } as unknown as Handlers;
    const dispose = registerIpcHandlers(handlers);
    const result = (await invokeMain(callChannel('app.info'), ours, {})) as { ok: boolean; error: object };
    dispose();
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ kind: 'internal' });
    expect(Object.keys(result.error)).not.toContain('stack');
  });

  it('passes typed core errors through with their fix', async () => {
    const handlers = {
      'app.info': async () => {
        throw new AppError('busy', 'Busy.', { fix: 'Wait.' });
      },
    } as unknown as Handlers;
    const dispose = registerIpcHandlers(handlers);
    expect(await invokeMain(callChannel('app.info'), ours, {})).toEqual({
      ok: false,
      error: { kind: 'busy', message: 'Busy.', fix: 'Wait.' },
    });
    dispose();
  });
});
