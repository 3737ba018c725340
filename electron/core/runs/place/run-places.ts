import { AppError, LOCAL_ENGINE_ID, type RunSettings, type TrainerConfig } from '../../../contract';
import type { RunFolder } from '../folder/run-folder';
import type { AttemptEnv } from '../lifecycle/run-attempt';
import type { LiveRun } from '../lifecycle/live-run';
import type { RunRecordFile } from '../folder/run-files';
import { BindPlace } from './bind-place';
import { VolumePlace } from './volume-place';
import { volumeNames } from './volume-containers';
import type { RunEngine, RunPlace } from './run-place';

/** This computer's engine, as a run records it (runs without `engine` in run.json ran here). */
export const LOCAL_RUN_ENGINE: RunEngine = { id: LOCAL_ENGINE_ID, kind: 'local', label: 'This computer' };

/** Where a server's dataset volume holds the images (the volume's root also holds its completion marker). */
export const DATASET_ROOT_IN_VOLUME = '/data/images';

const places = new WeakMap<LiveRun, RunPlace>();

/** The engine a run runs on: run.json's, else this computer. */
export function runEngine(record: Pick<RunRecordFile, 'engine'>): RunEngine {
  return record.engine ?? LOCAL_RUN_ENGINE;
}

/** The place of a live run (one per LiveRun): a volume place on an SSH engine, else the bind place. */
export function placeOf(env: AttemptEnv, live: LiveRun): RunPlace {
  let place = places.get(live);
  if (!place) {
    place = makePlace(env, live);
    places.set(live, place);
  }
  return place;
}

function makePlace(env: AttemptEnv, live: LiveRun): RunPlace {
  const engine = runEngine(live.record);
  return engine.kind === 'ssh' ? new VolumePlace(env, live, engine) : new BindPlace(env, live, engine);
}

/** The error of a run whose engine the app does not know (any more): removed from the engines list. */
export function engineMissing(id: string): AppError {
  return new AppError('not_found', `The run's Docker engine (${id}) is not in the list of engines any more.`, {
    fix: 'Add the server again under Environment → Engines, then resume the run.',
  });
}

/** The trainer's config for a run on `engine` (a server's volume holds the dataset under images/). */
export function configFor(engine: RunEngine, config: TrainerConfig): TrainerConfig {
  if (engine.kind !== 'ssh') return config;
  return { ...config, data: { ...config.data, root: DATASET_ROOT_IN_VOLUME } };
}

/** Refuses what a run on a server cannot do yet, with the fix (before a run folder is made). */
export function refuseOnEngine(engine: RunEngine, settings: RunSettings): void {
  if (engine.kind === 'ssh' && settings.initFromRunId) {
    throw new AppError('validation', `Starting from an earlier run's model does not work on ${engine.label} yet.`, {
      fix: 'Start from the pretrained weights on the server, or choose "This computer" as the engine to start from that run.',
    });
  }
}

/**
 * True when the next start may pass `--resume`: a local run's last.pt is in its folder; a server's is in
 * the run's volume there (the trainer starts from the beginning, with a warning, when there is none).
 */
export async function mayHaveLastCheckpoint(record: RunRecordFile, folder: RunFolder): Promise<boolean> {
  if (runEngine(record).kind === 'ssh') return true;
  return folder.exists(folder.lastCheckpoint);
}

/**
 * Removes what a deleted run left on its engine: a server run's volume (its checkpoints). Best effort:
 * a server that does not answer keeps it (labelled with the run and the data folder).
 */
export async function removeEngineData(env: AttemptEnv, record: RunRecordFile): Promise<void> {
  const engine = runEngine(record);
  if (engine.kind !== 'ssh') return;
  await env
    .engineFor(engine.id)
    .then(({ docker }) => docker.getVolume(volumeNames(env.namePrefix).run(record.id)).remove())
    .catch(() => undefined);
}
