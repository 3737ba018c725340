import fs from 'node:fs/promises';
import { AppError, type Handlers } from '../../contract';
import { resolveUserPath } from '../user-path';
import type { CoreContext } from '../context';
import { cpuBatch, estimateCpuRun } from './estimate/cpu-estimate';
import { CpuSpeedProbe, ProbeUnavailable } from './estimate/cpu-speed-probe';
import { readDatasetImage } from './history/dataset-image';
import { modelCards } from './estimate/model-catalog';
import { countDatasetImages, estimateRun } from './estimate/run-estimate';
import { readRun, RunFolder } from './folder/run-folder';
import { readRunLog, runDetail } from './history/run-history';
import { readRunResults } from './history/run-results';
import type { RunService } from './lifecycle/run-service';

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

/** Models, run lifecycle and run history, carried by `service`. */
export function createRunHandlers(ctx: CoreContext, service: RunService): Pick<Handlers, RunCallName> {
  const folder = (id: string) => new RunFolder(ctx.paths.runsDir, id);
  const probe = new CpuSpeedProbe({
    ...service.env,
    dataDir: ctx.paths.dataDir,
    cacheDir: ctx.paths.cacheDir,
    busy: () => service.hasActiveRuns(),
  });
  return {
    'models.list': async () => modelCards(service.gpuNames),
    'runs.list': async () => service.list(),
    'runs.get': async ({ id, maxPoints }) => {
      await service.noticeEngineBack([id]);
      const run = folder(id);
      const { record, state } = await readRun(run);
      return runDetail(run, record, state, service.liveRun(id), maxPoints, ctx.now());
    },
    'runs.create': async ({ settings }) => {
      const run = await service.create(settings);
      // The user chose this folder to train on: its images may be shown in the run's results.
      const real = await fs.realpath(resolveUserPath(settings.datasetPath, 'folder')).catch(() => null);
      if (real) ctx.previewFolders.add(real);
      return run;
    },
    'runs.estimate': async ({ settings }) => {
      const images = await countDatasetImages(resolveUserPath(settings.datasetPath, 'folder'), settings.valRatio);
      if (settings.device !== 'cpu') return estimateRun(settings, images, service.gpuNames);
      // On the processor: time a few steps of this model here (once per model, size and batch).
      return probe.speed(settings.modelId, settings.imgSize, cpuBatch(settings, images.train)).then(
        (speed) => estimateCpuRun(settings, images, speed),
        (error: unknown) =>
          estimateCpuRun(
            settings,
            images,
            null,
            probeProblem(error),
            error instanceof ProbeUnavailable && error.askAgain,
          ),
      );
    },
    'runs.stop': async ({ id }) => service.stop(id),
    'runs.resume': async ({ id }) => service.resume(id),
    'runs.delete': async ({ id }) => {
      await service.delete(id);
      return { deleted: true as const };
    },
    'runs.results': async ({ id }) => {
      await readRun(folder(id));
      return readRunResults(folder(id));
    },
    'runs.log': async ({ id, query, limit }) => {
      await readRun(folder(id));
      return readRunLog(folder(id).trainLog, query, limit);
    },
    'runs.image': async ({ id, file }) => {
      const { record } = await readRun(folder(id));
      return readDatasetImage(record.settings.datasetPath, file, ctx.previewFolders);
    },
    'runs.openFolder': async ({ id }) => {
      const run = folder(id);
      await readRun(run);
      const opened = ctx.options.openPath ? await ctx.options.openPath(run.dir) : false;
      return { path: run.dir, opened };
    },
  };
}

/** Why the processor could not be timed, as the end of a sentence. */
function probeProblem(error: unknown): string {
  if (error instanceof ProbeUnavailable) return error.message;
  const text = error instanceof AppError ? error.message : String(error);
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');
}
