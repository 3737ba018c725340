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
import { EngineRegistry, LOCAL_ENGINE } from './engines/engine-registry';
import { SettingsFile } from './app/app-settings';
import { createDownloadHandlers } from './runs/downloads/download-handlers';
import { createPredictionHandlers } from './runs/predictions/prediction-handlers';
import { PredictionJobs } from './runs/predictions/prediction-jobs';
import { createRunHandlers } from './runs/run-handlers';
import { RunService } from './runs/lifecycle/run-service';
import { engineMissing } from './runs/place/run-places';
import { importOnThisComputer } from './weights/import-weights';
import { createWeightsHandlers } from './weights/weights-handlers';

/** The whole core as the shells see it: handlers for every call, the event bus, and shutdown. */
export interface StudioCore {
  handlers: Handlers;
  bus: EventBus;
  context: CoreContext;
  /** Doctor, training image and GPU telemetry, for services that build on them (runs). */
  engine: EngineServices;
  /** The Docker engines (this computer, SSH servers) and the current one. */
  engines: EngineRegistry;
  close(): Promise<void>;
}

/** Builds every core service. Shells call this once and route the contract to `handlers`. */
export async function createCore(options: CoreOptions): Promise<StudioCore> {
  const bus = new EventBus();
  const closers: Array<() => void | Promise<void>> = [];
  let dockerClient: Promise<Dockerode> | null = options.docker ? Promise.resolve(options.docker) : null;
  // This computer's engine: the shell's client, else found by the Docker connection logic.
  const localDocker = (): Promise<Dockerode> => {
    if (!dockerClient) {
      dockerClient = connectDocker().catch((error: unknown) => {
        dockerClient = null; // try again next time: the user may start Docker meanwhile
        throw error;
      });
    }
    return dockerClient;
  };
  // The engines the user added (SSH servers) and the current one, which context.docker() talks to.
  const engines = new EngineRegistry({
    dataDir: options.dataDir,
    settings: new SettingsFile(options.dataDir),
    localDocker,
  });
  await engines.load();
  const context: CoreContext = {
    options,
    paths: studioPaths(options.dataDir),
    bus,
    previewFolders: PreviewFolders.load(options.dataDir),
    docker: () => engines.docker(engines.current().id),
    now: () => new Date(),
    onClose: (cleanup) => void closers.push(cleanup),
  };
  context.onClose(() => engines.close()); // closers run last-first: the SSH connections end after the runs
  const engine = createEngineServices(context, engines);
  // Another engine chosen: the Environment step describes that one (a fresh check, in the background here).
  engines.onChange(() => {
    engine.doctor.invalidate();
    if (options.background !== false) engine.doctor.check().catch(() => undefined);
  });
  if (options.background !== false) engine.telemetry.start();
  context.onClose(() => engine.telemetry.stop());
  const runs = new RunService({
    docker: () => context.docker(),
    // Each run talks to the engine its run.json records; new runs start on the current one.
    engineFor: async (id) => {
      const entry = engines.entry(id);
      if (!entry) throw engineMissing(id);
      return { entry, docker: await engines.docker(id) };
    },
    currentEngine: () => engines.current(),
    paths: context.paths,
    bus,
    now: () => context.now(),
    trainerImage: () => readyTrainerImage(engine.images),
  });
  if (options.background !== false) void runs.start(); // reattach to runs left by an earlier session
  context.onClose(() => runs.close());
  // A server with a run on it that is not over stays in the list.
  const live = new Set(['queued', 'preparing', 'running', 'stopping']);
  engines.isInUse = async (id) => (await runs.list()).some((run) => run.engine?.id === id && live.has(run.status));
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
    // Imports check the file on this computer's engine, whichever is current (a server cannot mount it).
    ...createWeightsHandlers(
      context,
      importOnThisComputer(runs.env, {
        docker: () => engines.docker(LOCAL_ENGINE.id),
        imageTag: () => engine.images.tag(),
      }),
    ),
    ...createDownloadHandlers(context),
    ...createCompareHandlers(context, runs),
    ...createEngineHandlers(engines),
  };
  return {
    handlers,
    bus,
    context,
    engine,
    engines,
    async close() {
      for (const cleanup of closers.reverse()) await cleanup();
    },
  };
}
