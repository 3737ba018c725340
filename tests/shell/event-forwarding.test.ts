import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

import type { ImageProgress } from '../../electron/contract';
import { EventBus } from '../../electron/core/event-bus';
import { forwardEvents } from '../../electron/main/event-forwarding';
import { eventChannel } from '../../electron/main/ipc-channels';
import { RENDERER_ENTRY_URL } from '../../electron/main/renderer-origin';
import { FakeBrowserWindow, resetFakeElectron } from './fake-electron';

const warning = (n: number) => ({ gpuIndex: 0, code: 'hot' as const, message: `warning ${n}` });
const progress: ImageProgress = {
  phase: 'pulling',
  layersDone: 1,
  layersTotal: 3,
  bytesDone: 10,
  bytesTotal: null,
  speedBytesPerS: null,
  etaS: null,
  message: 'Downloading',
};

function rendererWindow(): FakeBrowserWindow {
  const win = new FakeBrowserWindow({});
  win.webContents.url = RENDERER_ENTRY_URL;
  return win;
}

describe('event forwarding', () => {
  let bus: EventBus;
  beforeEach(() => {
    resetFakeElectron();
    bus = new EventBus();
  });

  it('sends every bus event to the renderer in order, one channel per event', () => {
    const win = rendererWindow();
    forwardEvents(bus, () => FakeBrowserWindow.getAllWindows());
    bus.emit('gpu.warning', warning(1));
    bus.emit('image.progress', progress);
    bus.emit('gpu.warning', warning(2));
    expect(win.webContents.sent).toEqual([
      { channel: eventChannel('gpu.warning'), payload: warning(1) },
      { channel: eventChannel('image.progress'), payload: progress },
      { channel: eventChannel('gpu.warning'), payload: warning(2) },
    ]);
  });

  it('skips destroyed windows and webContents without throwing, and keeps serving the others', () => {
    const gone = rendererWindow();
    const closing = rendererWindow();
    const live = rendererWindow();
    forwardEvents(bus, () => FakeBrowserWindow.all); // the list may still hold closed windows
    gone.destroy();
    closing.webContents.destroyed = true;
    expect(() => bus.emit('gpu.warning', warning(1))).not.toThrow();
    expect(gone.webContents.sendsAfterDestroy + closing.webContents.sendsAfterDestroy).toBe(0);
    expect(live.webContents.sent).toHaveLength(1);
  });

  it('sends nothing to a page that is not our renderer', () => {
    const foreign = new FakeBrowserWindow({});
    foreign.webContents.url = 'https://evil.example/';
    const blank = new FakeBrowserWindow({}); // still loading: URL ''
    forwardEvents(bus, () => FakeBrowserWindow.getAllWindows());
    bus.emit('gpu.warning', warning(1));
    expect(foreign.webContents.sent).toEqual([]);
    expect(blank.webContents.sent).toEqual([]);
  });

  it('stops when unsubscribed', () => {
    const win = rendererWindow();
    const stop = forwardEvents(bus, () => FakeBrowserWindow.getAllWindows());
    stop();
    bus.emit('gpu.warning', warning(1));
    expect(win.webContents.sent).toEqual([]);
  });
});
