import { EventEmitter } from 'node:events';

/**
 * A small recording stand-in for the `electron` module, used with `vi.mock('electron', …)`: the Electron
 * binary cannot run here, so the shell is tested with the module replaced at its boundary. It mimics the
 * behaviour the shell relies on (IPC messages are structured-cloned, a second `ipcMain.handle` for a
 * channel throws, sends to destroyed webContents throw, schemes must be registered before ready).
 */

/** A frame as `event.senderFrame` gives it. */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

/** Everything the fake recorded; reset by `resetFakeElectron()`. */
export const fake = {
  ready: false,
  singleInstance: true,
  userData: '/tmp/deit-studio-fake',
  handlers: new Map<string, InvokeHandler>(),
  handleRegistrations: [] as string[],
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  exposed: new Map<string, unknown>(),
  /** The frame the fake renderer's IPC messages claim to come from. */
  rendererFrame: { url: 'app://renderer/index.html', parent: null } as FakeFrame | null,
  /** The webContents whose `send` reaches the fake ipcRenderer. */
  rendererContents: null as FakeWebContents | null,
  invokes: [] as Array<{ channel: string; args: unknown[] }>,
  dialogCalls: [] as Array<{ parent: unknown; options: Record<string, unknown> }>,
  dialogResult: { canceled: false, filePaths: ['/data/flowers'] } as { canceled: boolean; filePaths: string[] },
  errorBoxes: [] as Array<[string, string]>,
  openedPaths: [] as string[],
  openedExternal: [] as string[],
  notifications: [] as Array<{ options: { title: string; body: string }; shown: boolean }>,
  menu: null as unknown,
  quitCalls: 0,
  quitted: false,
  sandboxEnabled: false,
  appUserModelId: null as string | null,
  filePaths: new WeakMap<object, string>(),
  session: {
    permissionRequest: null as null | ((...args: unknown[]) => void),
    permissionCheck: null as null | ((...args: unknown[]) => boolean),
    beforeRequest: null as null | ((details: { url: string }, cb: (r: { cancel?: boolean }) => void) => void),
  },
};

/** A webContents: an event emitter that records what is sent to it. */
export class FakeWebContents extends EventEmitter {
  destroyed = false;
  url = '';
  sent: Array<{ channel: string; payload: unknown }> = [];
  /** Sends attempted after destruction (Electron throws on them). */
  sendsAfterDestroy = 0;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.url;
  }
  send(channel: string, payload: unknown): void {
    if (this.destroyed) {
      this.sendsAfterDestroy += 1;
      throw new Error('Object has been destroyed');
    }
    const copy = structuredClone(payload);
    this.sent.push({ channel, payload: copy });
    if (fake.rendererContents === this) ipcRenderer.emit(channel, { sender: ipcRenderer }, copy);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** Fires a cancelable event the way Electron does; returns whether a listener prevented it. */
  fire(name: string, details: Record<string, unknown>): boolean {
    let prevented = false;
    this.emit(name, { ...details, preventDefault: () => (prevented = true) });
    return prevented;
  }
}

/** A BrowserWindow that records its options and state. */
export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static focused: FakeBrowserWindow | null = null;
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all.filter((w) => !w.destroyed);
  }
  static getFocusedWindow(): FakeBrowserWindow | null {
    return FakeBrowserWindow.focused;
  }
  readonly webContents = new FakeWebContents();
  destroyed = false;
  visible = false;
  minimized = false;
  focusCount = 0;
  backgroundColor: string;
  constructor(readonly options: Record<string, unknown>) {
    super();
    this.backgroundColor = String(options.backgroundColor ?? '');
    FakeBrowserWindow.all.push(this);
    app.emit('web-contents-created', { preventDefault() {} }, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.webContents.url = url;
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  show(): void {
    this.visible = true;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focusCount += 1;
  }
  setBackgroundColor(color: string): void {
    this.backgroundColor = color;
  }
}

const ipcMain = {
  handle(channel: string, handler: InvokeHandler): void {
    if (fake.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    fake.handlers.set(channel, handler);
    fake.handleRegistrations.push(channel);
  },
  removeHandler(channel: string): void {
    fake.handlers.delete(channel);
  },
};

/** Calls a registered ipcMain handler as Electron would, with arguments and result cloned. */
export async function invokeMain(channel: string, frame: FakeFrame | null, ...args: unknown[]): Promise<unknown> {
  const handler = fake.handlers.get(channel);
  if (!handler) throw new Error(`No handler registered for '${channel}'`);
  const event = { senderFrame: frame, sender: fake.rendererContents };
  return structuredClone(await handler(event, ...structuredClone(args)));
}

class FakeIpcRenderer extends EventEmitter {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    fake.invokes.push({ channel, args });
    return invokeMain(channel, fake.rendererFrame, ...args);
  }
}
const ipcRenderer = new FakeIpcRenderer();

const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  getVersion: () => '0.1.0-test',
  getPath: (name: string) => (name === 'userData' ? fake.userData : `/tmp/${name}`),
  requestSingleInstanceLock: () => fake.singleInstance,
  enableSandbox: () => void (fake.sandboxEnabled = true),
  setAppUserModelId: (id: string) => void (fake.appUserModelId = id),
  isReady: () => fake.ready,
  whenReady: async () => void (fake.ready = true),
  quit(): void {
    fake.quitCalls += 1;
    let prevented = false;
    app.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) fake.quitted = true;
  },
  exit: () => void (fake.quitted = true),
});

class FakeNotification extends EventEmitter {
  static isSupported = () => true;
  private readonly record: { options: { title: string; body: string }; shown: boolean };
  constructor(options: { title: string; body: string }) {
    super();
    this.record = { options, shown: false };
    fake.notifications.push(this.record);
  }
  show(): void {
    this.record.shown = true;
  }
}

/** The replacement module. */
export const electronModule = {
  app,
  ipcMain,
  ipcRenderer,
  BrowserWindow: FakeBrowserWindow,
  Notification: FakeNotification,
  nativeTheme: Object.assign(new EventEmitter(), { shouldUseDarkColors: false }),
  contextBridge: {
    exposeInMainWorld(key: string, api: unknown): void {
      if (fake.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property: ${key}`);
      fake.exposed.set(key, api);
    },
  },
  webUtils: {
    getPathForFile(file: object): string {
      if (typeof file !== 'object' || file === null) throw new TypeError('Expected a File');
      return fake.filePaths.get(file) ?? '';
    },
  },
  protocol: {
    registerSchemesAsPrivileged(schemes: unknown[]): void {
      if (fake.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
      fake.privilegedSchemes.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
      fake.protocolHandlers.set(scheme, handler);
    },
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: (...args: unknown[]) => void) => void (fake.session.permissionRequest = h),
      setPermissionCheckHandler: (h: (...args: unknown[]) => boolean) => void (fake.session.permissionCheck = h),
      webRequest: {
        onBeforeRequest: (h: typeof fake.session.beforeRequest) => void (fake.session.beforeRequest = h),
      },
    },
  },
  dialog: {
    async showOpenDialog(...args: unknown[]) {
      const [parent, options] = args.length === 2 ? args : [null, args[0]];
      fake.dialogCalls.push({ parent, options: options as Record<string, unknown> });
      return fake.dialogResult;
    },
    showErrorBox: (title: string, content: string) => void fake.errorBoxes.push([title, content]),
  },
  shell: {
    async openPath(path: string): Promise<string> {
      fake.openedPaths.push(path);
      return path.startsWith('/missing') ? 'Failed to open path' : '';
    },
    async openExternal(url: string): Promise<void> {
      fake.openedExternal.push(url);
    },
  },
  Menu: {
    buildFromTemplate: (template: unknown) => ({ template }),
    setApplicationMenu: (menu: unknown) => void (fake.menu = menu),
  },
};

/** Puts the fake back to its first state between tests. */
export function resetFakeElectron(): void {
  Object.assign(fake, {
    ready: false,
    singleInstance: true,
    rendererFrame: { url: 'app://renderer/index.html', parent: null },
    rendererContents: null,
    dialogResult: { canceled: false, filePaths: ['/data/flowers'] },
    menu: null,
    quitCalls: 0,
    quitted: false,
    sandboxEnabled: false,
    appUserModelId: null,
  });
  fake.handlers.clear();
  fake.handleRegistrations.length = 0;
  fake.privilegedSchemes.length = 0;
  fake.protocolHandlers.clear();
  fake.exposed.clear();
  for (const list of [fake.invokes, fake.dialogCalls, fake.errorBoxes, fake.openedPaths, fake.openedExternal]) {
    list.length = 0;
  }
  fake.notifications.length = 0;
  fake.session = { permissionRequest: null, permissionCheck: null, beforeRequest: null };
  FakeBrowserWindow.all = [];
  FakeBrowserWindow.focused = null;
  app.removeAllListeners();
  ipcRenderer.removeAllListeners();
  electronModule.nativeTheme.removeAllListeners();
  electronModule.nativeTheme.shouldUseDarkColors = false;
}
