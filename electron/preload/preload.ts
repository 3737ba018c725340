/**
 * The sandboxed preload, bundled to one CommonJS file (dist/electron/preload.cjs): a sandboxed
 * preload can require only 'electron' and a few built-ins, never local files. Exposes exactly the
 * contract as `window.deitStudio`; nothing of Node or ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { readContractNames } from '../main/ipc-channels';
import { createDesktopBridge } from './desktop-bridge';

contextBridge.exposeInMainWorld(
  'deitStudio',
  createDesktopBridge(readContractNames(process.argv), ipcRenderer, webUtils),
);
