import { dialog, shell, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { ShellServices } from '../core/context';

/**
 * What only the desktop can do, handed to the core: the native folder dialog (attached to the
 * window, so it is modal on it) and opening a folder in the OS file manager.
 */
export function createNativeServices(
  parentWindow: () => BrowserWindow | null,
): Required<Pick<ShellServices, 'pickFolder' | 'openPath'>> {
  return {
    async pickFolder(title) {
      const options: OpenDialogOptions = {
        title: title ?? 'Choose a folder of images',
        properties: ['openDirectory'],
      };
      const parent = parentWindow();
      const result =
        parent && !parent.isDestroyed()
          ? await dialog.showOpenDialog(parent, options)
          : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async openPath(folder) {
      // shell.openPath resolves to an error message, empty on success.
      return (await shell.openPath(folder)) === '';
    },
  };
}
