import { dialog, shell, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { ShellServices } from '../core/context';

/**
 * What only the desktop can do, handed to the core: the native folder and file dialogs (attached to
 * the window, so they are modal on it) and opening a folder in the OS file manager.
 */
export function createNativeServices(
  parentWindow: () => BrowserWindow | null,
): Required<Pick<ShellServices, 'pickFolder' | 'pickFile' | 'openPath'>> {
  const open = async (options: OpenDialogOptions) => {
    const parent = parentWindow();
    const result =
      parent && !parent.isDestroyed()
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  return {
    async pickFolder(title) {
      return open({ title: title ?? 'Choose a folder of images', properties: ['openDirectory'] });
    },
    async pickFile(title, extensions) {
      return open({
        title: title ?? 'Choose a file',
        properties: ['openFile'],
        ...(extensions?.length ? { filters: [{ name: extensions.join(', '), extensions }] } : {}),
      });
    },
    async openPath(folder) {
      // shell.openPath resolves to an error message, empty on success.
      return (await shell.openPath(folder)) === '';
    },
  };
}
