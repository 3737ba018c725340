import fs from 'node:fs/promises';
import { AppError, type Handlers } from '../../contract';
import type { CoreContext } from '../context';
import { readThumbnail, THUMBNAIL_LIMITS } from './thumbnails/dataset-thumbnail';
import { resolveDatasetRoot } from './scan/dataset-root';
import { ensureSampleDataset } from './sample-dataset';
import { scanDataset } from './scan/scan-dataset';
import { rootError } from './scan/scan-errors';
import { SimilarChecks } from './similar/similar-checks';

type DatasetCallName =
  'dataset.scan' | 'dataset.cancelScan' | 'dataset.thumbnail' | 'dataset.sample' | 'dataset.similar';

/**
 * Dataset scan and thumbnails. The dataset folder is only ever read. A newer scan of a folder cancels
 * the one running; previews are served only from folders scanned (or classified, `runs.predict`) in this session.
 */
export function createDatasetHandlers(ctx: CoreContext): Pick<Handlers, DatasetCallName> {
  const running = new Map<string, AbortController>(); // by real path of the folder
  const similar = new SimilarChecks();
  ctx.onClose(() => {
    for (const controller of running.values()) controller.abort();
    similar.close();
  });
  const realFolder = (root: string) =>
    fs.realpath(root).catch((error: unknown) => Promise.reject(rootError(root, error)));

  return {
    async 'dataset.scan'({ path: input, valRatio }) {
      const root = resolveDatasetRoot(input);
      const real = await realFolder(root);
      running.get(real)?.abort();
      similar.cancel(real); // it would compare the folder as it was
      const controller = new AbortController();
      running.set(real, controller);
      try {
        const scan = await scanDataset(root, {
          valRatio,
          signal: controller.signal,
          onProgress: (progress) => {
            if (!controller.signal.aborted) ctx.bus.emit('dataset.progress', { root, ...progress });
          },
          onImages: (images, classNames) => similar.remember(real, images, classNames),
        });
        ctx.previewFolders.add(real);
        return scan;
      } finally {
        if (running.get(real) === controller) running.delete(real);
      }
    },

    async 'dataset.cancelScan'({ path: input }) {
      const real = await fs.realpath(resolveDatasetRoot(input)).catch(() => null);
      const controller = real === null ? undefined : running.get(real);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },

    async 'dataset.sample'() {
      const archive = ctx.options.sampleArchive;
      if (!archive) {
        throw new AppError('not_available', 'The sample images are not part of this installation of DeiT Studio.', {
          fix: 'Choose a folder of your own images.',
        });
      }
      return ensureSampleDataset(archive, ctx.paths.samplesDir);
    },

    async 'dataset.similar'({ path: input }) {
      const root = resolveDatasetRoot(input);
      const real = await realFolder(root);
      return similar.run(root, real, (done, total) => ctx.bus.emit('dataset.similarProgress', { root, done, total }));
    },

    async 'dataset.thumbnail'({ root, file }) {
      const real = await realFolder(resolveDatasetRoot(root));
      if (!ctx.previewFolders.has(real)) {
        throw new AppError(
          'validation',
          'Previews are shown only for a folder scanned or classified in this session.',
          {
            fix: 'Scan the folder first, then ask for its previews.',
            detail: 'not_scanned',
          },
        );
      }
      return readThumbnail(real, file, { ...THUMBNAIL_LIMITS, cacheDir: ctx.paths.thumbnailsDir });
    },
  };
}
