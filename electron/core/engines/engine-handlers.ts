import type { Handlers } from '../../contract';
import type { EngineRegistry } from './engine-registry';

/**
 * The engines calls (list, check a server's host key, add, choose, remove) on the registry. Inputs
 * arrive validated by the contract (the shells parse them). Choosing another engine makes the
 * environment doctor check again: the registry tells its listeners (wired in app-core).
 */
export function createEngineHandlers(
  registry: EngineRegistry,
): Pick<Handlers, 'engines.list' | 'engines.checkHost' | 'engines.add' | 'engines.choose' | 'engines.remove'> {
  return {
    'engines.list': async () => registry.list(),
    'engines.checkHost': (address) => registry.checkHost(address),
    'engines.add': async (input) => ({ engine: await registry.add(input) }),
    'engines.choose': async ({ id }) => ({ currentId: await registry.choose(id) }),
    'engines.remove': async ({ id }) => ({ removed: await registry.remove(id) }),
  };
}
