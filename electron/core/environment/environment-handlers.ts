import type { Handlers } from '../../contract';
import type { CoreContext } from '../context';
import type { EngineServices } from './engine-services';
import { readSystemSummary } from './system-summary';

/** The machine summary, the environment doctor and GPU telemetry. */
export function createEnvironmentHandlers(
  ctx: CoreContext,
  engine: EngineServices,
): Pick<Handlers, 'environment.summary' | 'environment.check' | 'telemetry.recent'> {
  return {
    'environment.summary': () => readSystemSummary(ctx.paths.dataDir, engine.smi),
    'environment.check': () => engine.doctor.check(),
    'telemetry.recent': async ({ seconds }) => engine.telemetry.recent(seconds),
  };
}
