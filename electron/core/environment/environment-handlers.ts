import type { Handlers } from '../../contract';
import type { CoreContext } from '../context';
import { notBuilt } from '../not-built';
import { readSystemSummary } from './system-summary';

/** The machine summary, the environment doctor and GPU telemetry. */
export function createEnvironmentHandlers(
  ctx: CoreContext,
): Pick<Handlers, 'environment.summary' | 'environment.check' | 'telemetry.recent'> {
  return {
    'environment.summary': () => readSystemSummary(ctx.paths.dataDir),
    'environment.check': notBuilt('The environment doctor'),
    'telemetry.recent': notBuilt('GPU telemetry'),
  };
}
