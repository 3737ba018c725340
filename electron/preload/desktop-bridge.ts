import type { IpcRenderer, IpcRendererEvent, WebUtils } from 'electron';
import type { AppErrorShape, DesktopBridge, Result } from '../contract';
import { callChannel, eventChannel, type ContractNames } from '../main/ipc-channels';

function refusal(kind: AppErrorShape['kind'], message: string, fix?: string): Result<never> {
  return { ok: false, error: fix === undefined ? { kind, message } : { kind, message, fix } };
}

/**
 * Builds the bridge from the contract's names, ipcRenderer and webUtils. Imports only types from the
 * contract, so neither zod nor the schemas end up in the sandboxed preload bundle; the main process
 * validates every input anyway. Nothing of ipcRenderer or the IPC event escapes to the page.
 */
export function createDesktopBridge(
  names: ContractNames,
  ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
  utils: Pick<WebUtils, 'getPathForFile'>,
): DesktopBridge {
  const callNames = new Set(names.calls);
  const eventNames = new Set(names.events);
  return {
    async call(name, input) {
      if (!callNames.has(name)) {
        return refusal('validation', `There is no call named "${String(name)}".`);
      }
      try {
        return (await ipc.invoke(callChannel(name), input)) as never;
      } catch (error) {
        // Only when IPC itself fails, e.g. an input that cannot be copied between processes.
        const detail = error instanceof Error ? error.message : String(error);
        return {
          ok: false,
          error: {
            kind: 'internal',
            message: `The call "${String(name)}" could not reach DeiT Studio.`,
            fix: 'Reload the window (Ctrl+R) and try again.',
            detail,
          },
        };
      }
    },
    on(name, listener) {
      if (!eventNames.has(name)) throw new TypeError(`There is no event named "${String(name)}".`);
      const channel = eventChannel(name);
      // The page gets the payload only: the IPC event carries `sender` (ipcRenderer itself).
      const relay = (_event: IpcRendererEvent, payload: unknown): void => listener(payload as never);
      ipc.on(channel, relay);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(channel, relay);
      };
    },
    pathForFile(file) {
      try {
        return utils.getPathForFile(file);
      } catch {
        return ''; // not a File, or one made in the page
      }
    },
  };
}
