import type { Handlers } from '../../contract';
import type { CoreContext } from '../context';
import { notBuilt } from '../not-built';

type RunCallName =
  | 'models.list'
  | 'runs.list'
  | 'runs.get'
  | 'runs.create'
  | 'runs.estimate'
  | 'runs.stop'
  | 'runs.resume'
  | 'runs.delete'
  | 'runs.results'
  | 'runs.log'
  | 'runs.image'
  | 'runs.openFolder';

/** Models, run lifecycle and run history. */
export function createRunHandlers(_ctx: CoreContext): Pick<Handlers, RunCallName> {
  return {
    'models.list': notBuilt('The model list'),
    'runs.list': notBuilt('The runs list'),
    'runs.get': notBuilt('Opening a run'),
    'runs.create': notBuilt('Starting a run'),
    'runs.estimate': notBuilt('The run estimate'),
    'runs.stop': notBuilt('Stopping a run'),
    'runs.resume': notBuilt('Resuming a run'),
    'runs.delete': notBuilt('Deleting a run'),
    'runs.results': notBuilt('Run results'),
    'runs.log': notBuilt('The run log'),
    'runs.image': notBuilt('Run images'),
    'runs.openFolder': notBuilt('Opening the run folder'),
  };
}
