import type { Handlers } from '../../../contract';
import type { CoreContext } from '../../context';
import type { RunService } from '../lifecycle/run-service';
import { compareRuns } from './run-comparison';

/** `runs.compare`: runs side by side, read from their folders (run-comparison.ts). */
export function createCompareHandlers(ctx: CoreContext, service: RunService): Pick<Handlers, 'runs.compare'> {
  return {
    'runs.compare': async ({ ids, maxPoints }) => {
      await service.noticeEngineBack(ids);
      const runs = await compareRuns(ids, maxPoints, {
        runsDir: ctx.paths.runsDir,
        liveRun: (id) => service.liveRun(id),
        now: ctx.now(),
      });
      return { runs };
    },
  };
}
