import type { Handlers } from '../../contract';
import type { CoreContext } from '../context';
import { notBuilt } from '../not-built';

/** Dataset scan and thumbnails. The dataset folder is only ever read. */
export function createDatasetHandlers(_ctx: CoreContext): Pick<Handlers, 'dataset.scan' | 'dataset.thumbnail'> {
  return {
    'dataset.scan': notBuilt('The dataset scan'),
    'dataset.thumbnail': notBuilt('Dataset thumbnails'),
  };
}
