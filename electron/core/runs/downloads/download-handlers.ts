import type { Handlers } from '../../../contract';
import type { CoreContext } from '../../context';
import { listRunFiles } from './run-downloads';

/** The run files a browser may download (serve mode); the downloads themselves are HTTP routes. */
export function createDownloadHandlers(ctx: CoreContext): Pick<Handlers, 'runs.files'> {
  return {
    'runs.files': ({ id }) => listRunFiles(ctx.paths.runsDir, id),
  };
}
