import type { Handlers } from '../../contract';
import type { ImageService } from './image-service';

/** The training image: status, pull and build with progress, cancel; the base from a file or the engine. */
export function createImageHandlers(
  images: ImageService,
): Pick<
  Handlers,
  'image.status' | 'image.ensure' | 'image.cancel' | 'image.localImages' | 'image.useBase' | 'image.loadArchive'
> {
  return {
    'image.status': () => images.status(),
    'image.ensure': (request) => images.ensure(request),
    'image.cancel': () => images.cancel(),
    'image.localImages': async () => ({ images: await images.localImages() }),
    'image.useBase': ({ image }) => images.useBase(image),
    'image.loadArchive': ({ path }) => images.loadArchive(path),
  };
}
