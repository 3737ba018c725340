import { AppError, type Handlers } from '../../contract';
import type { CoreContext } from '../context';

// Placeholder while the engines service is built (issue 20): every call says it is not there yet.
export function createEngineHandlers(
  _ctx: CoreContext,
): Pick<Handlers, 'engines.list' | 'engines.checkHost' | 'engines.add' | 'engines.choose' | 'engines.remove'> {
  const notYet = (): never => {
    throw new AppError('not_available', 'Remote engines are not available yet.');
  };
  return {
    'engines.list': async () => ({
      engines: [{ id: 'local', kind: 'local', label: 'This computer' }],
      currentId: 'local',
    }),
    'engines.checkHost': async () => notYet(),
    'engines.add': async () => notYet(),
    'engines.choose': async () => notYet(),
    'engines.remove': async () => notYet(),
  };
}
