import { AppError } from '../../../contract';

/** Throws the typed "cancelled" error once a scan's signal has fired (a newer scan of the folder, or a cancel call). */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new AppError('cancelled', 'The scan of this folder was cancelled.', {
      fix: 'A newer scan of the same folder replaced it, or it was cancelled; nothing needs doing.',
    });
  }
}

/** Maps a failure to open the dataset folder itself to a typed error with a plain message and a fix. */
export function rootError(root: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new AppError('not_found', `There is no folder at ${root}.`, {
      fix: 'Check the path, or choose the folder again (it may have been moved, renamed or unmounted).',
      detail,
    });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('dataset_invalid', `DeiT Studio is not allowed to read ${root}.`, {
      fix: 'Give your user read permission on the folder (for example chmod -R u+rX on it), or choose another folder.',
      detail,
    });
  }
  if (code === 'ELOOP') {
    return new AppError('dataset_invalid', `${root} is a link that leads back to itself.`, {
      fix: 'Choose the real folder instead of the link.',
      detail,
    });
  }
  return new AppError('dataset_invalid', `The folder ${root} could not be read.`, {
    fix: 'Check that the disk is connected and the folder opens in your file manager, then scan again.',
    detail,
  });
}

/** The error for a path that exists but is a file, not a folder. */
export function notAFolderError(root: string): AppError {
  return new AppError('dataset_invalid', `${root} is a file, not a folder.`, {
    fix: 'Choose the folder that holds one sub-folder per class (or train/ and val/ folders).',
  });
}
