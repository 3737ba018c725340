import { z } from 'zod';
import { call } from './define';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** Which shell carries the API: the Electron window, or serve mode in a browser. */
  shell: z.enum(['desktop', 'serve']),
  platform: z.string(),
  dataDir: z.string(),
  runsDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const FolderEntry = z.object({ name: z.string(), path: z.string() });
export type FolderEntry = z.infer<typeof FolderEntry>;

export const FolderListing = z.object({
  /** The folder whose sub-folders are listed. */
  folder: z.string(),
  entries: z.array(FolderEntry),
});
export type FolderListing = z.infer<typeof FolderListing>;

const path = z.string().min(1).max(4096);

export const appCalls = {
  'app.info': call(z.object({}), AppInfo, 'Name, version and shell of the running app.'),
  'dialog.pickFolder': call(
    z.object({ title: z.string().max(200).optional() }),
    z.object({ path: z.string().nullable() }),
    'Opens the native folder dialog (desktop only); null when the user cancels.',
  ),
  'dialog.pickFile': call(
    z.object({
      title: z.string().max(200).optional(),
      /** Allowed extensions without the dot, e.g. ['safetensors', 'pth']; any file when absent. */
      extensions: z
        .array(z.string().regex(/^[A-Za-z0-9]{1,16}$/))
        .max(20)
        .optional(),
    }),
    z.object({ path: z.string().nullable() }),
    'Opens the native file dialog (desktop only); null when the user cancels.',
  ),
  'fs.completeFolder': call(
    z.object({ partial: path }),
    FolderListing,
    'Sub-folders matching a partly typed server path, for the path field in serve mode.',
  ),
};
