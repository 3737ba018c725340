import { PreviewFolders } from './preview-folders';
import type Dockerode from 'dockerode';
import type { Handlers } from '../contract';
import { createAppHandlers } from './app/app-handlers';
import type { CoreContext, CoreOptions } from './context';
import { createDatasetHandlers } from './dataset/dataset-handlers';
import { createCompareHandlers } from './runs/compare/compare-handlers';
import { connectDocker } from './docker/connect';
import { createEngineServices, type EngineServices } from './environment/engine-services';
import { createEnvironmentHandlers } from './environment/environment-handlers';
import { EventBus } from './event-bus';
import { createImageHandlers } from './images/image-handlers';
import { readyTrainerImage } from './images/ready-trainer-image';
import { studioPaths } from './paths';
import { createEngineHandlers } from './engines/engine-handlers';
import { createDownloadHandlers } from './runs/downloads/download-handlers';
import { createPredictionHandlers } from './runs/predictions/prediction-handlers';
import { PredictionJobs } from './runs/predictions/prediction-jobs';
import { createRunHandlers } from './runs/run-handlers';
import { RunService } from './runs/lifecycle/run-service';
import { createWeightsHandlers } from './weights/weights-handlers';

/** The whole core as the shells see it: handlers for every call, the event bus, and shutdown. */
export interface StudioCore {
  handlers: Handlers;
  bus: EventBus;
  context: CoreContext;
  /** Doctor, training image and GPU telemetry, for services that build on them (runs). */
  engine: EngineServices;
  close(): Promise<void>;
}

/** Builds every core service. Shells call this once and route the contract to `handlers`. */
export async function createCore(options: CoreOptions): Promise<StudioCore> {
  const bus = new EventBus();
  const closers: Array<() => void | Promise<void>> = [];
  let dockerClient: Promise<Dockerode> | null = options.docker ? Promise.resolve(options.docker) : null;
  const context: CoreContext = {
    options,
    paths: studioPaths(options.dataDir),
    bus,
    previewFolders: PreviewFolders.load(options.dataDir),
    docker() {
      if (!dockerClient) {
        dockerClient = connectDocker().catch((error: unknown) => {
          dockerClient = null; // try again next time: the user may start Docker meanwhile
          throw error;
        });
      }
      return dockerClient;
    },
    now: () => new Date(),
    onClose: (cleanup) => void closers.push(cleanup),
  };
  const engine = createEngineServices(context);
  if (options.background !== false) engine.telemetry.start();
  context.onClose(() => engine.telemetry.stop());
  const runs = new RunService({
    docker: () => context.docker(),
    paths: context.paths,
    bus,
    now: () => context.now(),
    trainerImage: () => readyTrainerImage(engine.images),
  });
  if (options.background !== false) void runs.start(); // reattach to runs left by an earlier session
  context.onClose(() => runs.close());
  const predictions = new PredictionJobs(bus, () => context.now());
  context.onClose(() => predictions.close()); // before the runs: closers run last-first
  const handlers: Handlers = {
    ...createAppHandlers(context),
    ...createEnvironmentHandlers(context, engine),
    ...createImageHandlers(engine.images),
    ...createDatasetHandlers(context),
    ...createRunHandlers(context, runs),
    ...createPredictionHandlers(context, runs, predictions, async () => ({
      // The environment check knows whether containers can use a GPU; the telemetry, which ones are idle.
      report: engine.doctor.latest ?? (await engine.doctor.check().catch(() => null)),
      readings: engine.telemetry.recent(5).at(-1)?.gpus ?? null,
    })),
    ...createWeightsHandlers(context, runs.env),
    ...createDownloadHandlers(context),
    ...createCompareHandlers(context, runs),
    ...createEngineHandlers(context),
  };
  return {
    handlers,
    bus,
    context,
    engine,
    async close() {
      for (const cleanup of closers.reverse()) await cleanup();
    },
  };
}
