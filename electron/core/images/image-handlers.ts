import type { Handlers } from '../../contract';
import type { ImageService } from './image-service';

/** The training image: status, pull and build with progress, cancel. */
export function createImageHandlers(
  images: ImageService,
): Pick<Handlers, 'image.status' | 'image.ensure' | 'image.cancel'> {
  return {
    'image.status': () => images.status(),
    'image.ensure': (request) => images.ensure(request),
    'image.cancel': () => images.cancel(),
  };
}
