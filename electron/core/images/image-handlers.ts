import type { Handlers } from '../../contract';
import type { CoreContext } from '../context';
import { notBuilt } from '../not-built';

/** The training image: status, pull and build with progress, cancel. */
export function createImageHandlers(
  _ctx: CoreContext,
): Pick<Handlers, 'image.status' | 'image.ensure' | 'image.cancel'> {
  return {
    'image.status': notBuilt('The training image check'),
    'image.ensure': notBuilt('Getting the training image'),
    'image.cancel': notBuilt('Cancelling the image download'),
  };
}
