import process from 'node:process';
import { AppError, type Handlers } from '../../contract';
import type { CoreContext } from '../context';
import { completeFolder } from './complete-folder';

/** app.info, the folder and file dialogs and folder completion. */
export function createAppHandlers(
  ctx: CoreContext,
): Pick<Handlers, 'app.info' | 'dialog.pickFolder' | 'dialog.pickFile' | 'fs.completeFolder'> {
  return {
    'app.info': async () => ({
      name: 'DeiT Studio',
      version: ctx.options.version,
      shell: ctx.options.shell,
      platform: process.platform,
      dataDir: ctx.paths.dataDir,
      runsDir: ctx.paths.runsDir,
    }),
    'dialog.pickFolder': async ({ title }) => {
      if (!ctx.options.pickFolder) {
        throw new AppError('not_available', 'There is no folder dialog in the browser version.', {
          fix: 'Type or paste the folder path on the server into the path field.',
        });
      }
      return { path: await ctx.options.pickFolder(title) };
    },
    'dialog.pickFile': async ({ title, extensions }) => {
      if (!ctx.options.pickFile) {
        throw new AppError('not_available', 'There is no file dialog in the browser version.', {
          fix: 'Type or paste the full path of the file on the server into the path field.',
        });
      }
      return { path: await ctx.options.pickFile(title, extensions) };
    },
    'fs.completeFolder': async ({ partial }) => completeFolder(partial),
  };
}
