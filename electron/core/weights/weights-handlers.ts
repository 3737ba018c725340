import type { Handlers } from '../../contract';
import type { CoreContext } from '../context';
import { networkInfo } from '../network/container-network';
import { writeNetworkSettings } from '../network/network-settings';
import { hubReach } from './hub-reach';
import { importWeights, removeImported, weightsStatus, type ImportEnv } from './import-weights';

type WeightsCallName =
  | 'weights.status'
  | 'weights.import'
  | 'weights.removeImported'
  | 'weights.hubReachable'
  | 'network.get'
  | 'network.set';

/** Starting weights (status, import, remove) and the network settings of downloads and the image build. */
export function createWeightsHandlers(ctx: CoreContext, env: ImportEnv): Pick<Handlers, WeightsCallName> {
  const sources = { dataDir: ctx.paths.dataDir };
  return {
    'weights.status': async ({ modelId }) => weightsStatus(ctx.paths.weightsDir, modelId),
    'weights.import': async ({ modelId, file }) => importWeights(env, modelId, file),
    'weights.removeImported': async ({ modelId }) => ({ removed: await removeImported(ctx.paths.weightsDir, modelId) }),
    'weights.hubReachable': async () => hubReach(ctx.paths.dataDir),
    'network.get': async () => networkInfo(sources),
    'network.set': async ({ settings }) => {
      await writeNetworkSettings(ctx.paths.dataDir, settings);
      return networkInfo(sources);
    },
  };
}
