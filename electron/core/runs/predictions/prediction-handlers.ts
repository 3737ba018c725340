import fs from 'node:fs/promises';
import type { Handlers } from '../../../contract';
import type { CoreContext } from '../../context';
import { listPredictions, openPrediction } from './prediction-history';
import type { PredictionJobs } from './prediction-jobs';
import { readRun, RunFolder } from '../folder/run-folder';
import { predictFolder } from './run-predict';
import { choosePredictDevice, readTrainingPrecision, type PredictMachine } from './predict-device';
import type { RunService } from '../lifecycle/run-service';

type PredictionCallName = 'runs.predict' | 'runs.predictions' | 'runs.prediction' | 'runs.cancelPredict';

/** "Try the model on new images": classify (with progress and Cancel), and the run's earlier classifications. */
export function createPredictionHandlers(
  ctx: CoreContext,
  service: RunService,
  jobs: PredictionJobs,
  /** What the environment check and the telemetry know of the GPUs now; none: classify on the processor. */
  machine: () => Promise<PredictMachine> = async () => ({ report: null, readings: null }),
): Pick<Handlers, PredictionCallName> {
  const folder = (id: string) => new RunFolder(ctx.paths.runsDir, id);
  /** Its images may be previewed in the table (only folders classified or scanned are served). */
  const previewable = async (dir: string) => {
    const real = await fs.realpath(dir).catch(() => null);
    if (real) ctx.previewFolders.add(real);
  };
  return {
    'runs.predict': async ({ id, folder: images }) => {
      await readRun(folder(id));
      const job = jobs.begin(id);
      try {
        const run = folder(id);
        const device = choosePredictDevice({
          ...(await machine()),
          trainingPrecision: await readTrainingPrecision(run),
        });
        const predictions = await predictFolder(service.env, run, images, job, device);
        await previewable(predictions.folder);
        jobs.end(job, 'finished');
        return predictions;
      } catch (error) {
        jobs.end(job, job.cancelled ? 'cancelled' : 'failed');
        throw error;
      }
    },
    'runs.predictions': async ({ id }) => {
      await readRun(folder(id));
      return { items: await listPredictions(folder(id)), running: jobs.running(id) };
    },
    'runs.prediction': async ({ id, file }) => {
      await readRun(folder(id));
      const predictions = await openPrediction(folder(id), file);
      if (predictions.folder) await previewable(predictions.folder);
      return predictions;
    },
    'runs.cancelPredict': async ({ id }) => ({ cancelled: jobs.cancel(id) }),
  };
}
