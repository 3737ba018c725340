import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { AppError, CALL_NAMES, toErrorShape, type Handlers, type Result } from '../contract';
import { dispatchCall } from '../core/dispatch';
import { callChannel } from './ipc-channels';
import { isTrustedFrame } from './renderer-origin';

/** The typed refusal for a call from anything but our renderer's top frame. */
export function unauthorizedResult(): Result<never> {
  return {
    ok: false,
    error: new AppError('unauthorized', 'This window is not allowed to use DeiT Studio.', {
      fix: 'Use the DeiT Studio window itself.',
    }).toShape(),
  };
}

/**
 * Serves one call: checks who sent it, then validates and runs it through the shared dispatcher.
 * Always resolves to a Result, because an error thrown from ipcMain.handle reaches the renderer as a
 * bare message without its kind.
 */
export async function serveCall(
  handlers: Handlers,
  name: string,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  input: unknown,
): Promise<Result<unknown>> {
  try {
    if (!isTrustedFrame(event.senderFrame)) return unauthorizedResult();
    return await dispatchCall(handlers, name, input);
  } catch (error) {
    return { ok: false, error: toErrorShape(error) };
  }
}

/**
 * Registers one `ipcMain.handle` per contract call, generated from the contract, so adding a call
 * there is all it takes. Returns the function that removes them again.
 */
export function registerIpcHandlers(handlers: Handlers): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(callChannel(name), (event, input: unknown) => serveCall(handlers, name, event, input));
  }
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(callChannel(name));
  };
}
