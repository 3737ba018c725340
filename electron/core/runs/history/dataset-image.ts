import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../contract';

/** Images larger than this are not sent to the UI (a thumbnail service would be the place). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

/**
 * An image file of a run's dataset by its path relative to the dataset root (as the trainer reports
 * misclassified images). Anything that would lead outside the root — `..`, an absolute path, a
 * symbolic link pointing elsewhere — is refused, as are non-images and files over the size cap. As for
 * dataset thumbnails, the root must be one of `previewFolders` (scanned, classified or trained on in
 * this session): run.json sits where a container writes, so its dataset path alone is not trusted.
 */
export async function readDatasetImage(
  root: string,
  relative: string,
  previewFolders: ReadonlySet<string>,
): Promise<{ mime: string; dataBase64: string }> {
  const refuse = () =>
    new AppError('validation', 'That file is not an image of this run’s dataset.', {
      fix: 'Pick an image from the run’s results.',
    });
  if (path.isAbsolute(relative) || relative.includes('\0')) throw refuse();
  const rootReal = await fs.realpath(root).catch(() => {
    throw new AppError('not_found', `The dataset folder ${root} is not there any more.`, {
      fix: 'Reconnect the disk that holds it, or move it back.',
    });
  });
  if (!previewFolders.has(rootReal)) {
    throw new AppError('validation', 'Images are shown only from a dataset folder scanned or used in this session.', {
      fix: `Scan the dataset folder ${root} again (New run → choose the folder), then open the run's results.`,
      detail: 'not_scanned',
    });
  }
  const file = path.resolve(rootReal, relative);
  if (!inside(rootReal, file)) throw refuse();
  const real = await fs.realpath(file).catch(() => null);
  if (!real) throw new AppError('not_found', `The image ${relative} is not in the dataset any more.`);
  if (!inside(rootReal, real)) throw refuse();
  const mime = MIME[path.extname(real).toLowerCase()];
  if (!mime) throw refuse();
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw refuse();
  if (stat.size > MAX_IMAGE_BYTES) {
    throw new AppError(
      'validation',
      `The image ${relative} is too large to show (${Math.round(stat.size / 2 ** 20)} MiB).`,
      {
        fix: 'Open it from the dataset folder instead.',
      },
    );
  }
  return { mime, dataBase64: (await fs.readFile(real)).toString('base64') };
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
