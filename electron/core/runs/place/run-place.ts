import type Dockerode from 'dockerode';
import type { EngineEntry } from '../../../contract';
import type { MountSource, RunMounts } from '../../docker/container-spec';
import type { RunRecordFile } from '../folder/run-files';
import type { LiveRun } from '../lifecycle/live-run';

/** The engine a run records in run.json (absent: this computer). */
export type RunEngine = NonNullable<RunRecordFile['engine']>;

/** The engine entry and its Docker client, as RunService's `engineFor` answers. */
export interface EngineHandle {
  entry: EngineEntry;
  docker: Dockerode;
}

/** What one attempt's preparation learned: where the weights step writes. */
export interface PreparedPlace {
  /** Where the weights-fetch step writes; null: the weights are there already (no step runs). */
  fetchWeightsInto: MountSource | null;
}

/** What a place needs to know about the attempt it prepares. */
export interface PrepareInput {
  live: LiveRun;
  docker: Dockerode;
  /** The trainer image (the volume place's helper containers use it too). */
  image: string;
  /** True when the run starts from pretrained weights (not from scratch, not from an earlier run). */
  needsWeights: boolean;
}

/**
 * Where a run's files live and how what its container writes reaches the local run folder — the
 * one seam between runs on this computer and runs on a server (docs/engine-remote.md):
 *
 * - bind place (bind-place.ts, the local engine): the container bind-mounts the dataset and writes
 *   output/ directly; LiveRun follows those files. Today's behaviour.
 * - volume place (volume-place.ts, an SSH engine): the dataset is sent once into a volume, the run
 *   writes its own volume, and a mirror copies what it writes into the local output/ folder, so
 *   LiveRun, metrics and results read local files exactly as for a local run.
 *
 *   const place = placeOf(env, live);           // run-places.ts: one per run, from run.json's engine
 *   const docker = await place.docker();        // every Docker call of the run goes to its engine
 *   const { fetchWeightsInto } = await place.prepare({ live, docker, image, needsWeights });
 *   ... the weights step when asked ...; const mounts = await place.mounts(docker, image);
 *   ... create the container ...; await place.beforeStart(container); start; await place.follow(container);
 *   ... it exits ...; await place.afterExit(container, false); await place.finished() when it finished.
 */
export interface RunPlace {
  readonly engine: RunEngine;
  /** True for an engine on another machine: a lost connection is waited out, not a failed run. */
  readonly remote: boolean;
  /** The Docker client of the run's engine (a fresh one after a reconnect). */
  docker(): Promise<Dockerode>;
  /** Dataset, weights and cache ready on the engine (before the weights step). */
  prepare(input: PrepareInput): Promise<PreparedPlace>;
  /** The run's output made and every mount source checked, just before the container is created. */
  mounts(docker: Dockerode, image: string): Promise<RunMounts>;
  /** Called with the created, not yet started, training container (config.json put into it). */
  beforeStart(container: Dockerode.Container): Promise<void>;
  /** Starts following the running container's files (local: LiveRun alone; remote: the mirror too). */
  follow(container: Dockerode.Container, logOffset: number): Promise<void>;
  /** After the container exited: every file the app shows is in the local run folder. */
  afterExit(container: Dockerode.Container | null, engineGone: boolean): Promise<void>;
  /** True when the run has a checkpoints/last.pt to resume from (asked before the container is removed). */
  hasLastCheckpoint(container: Dockerode.Container | null): Promise<boolean>;
  /** The run finished: free what only a resume would use (caches; a remote run's volume). */
  finished(): Promise<void>;
  /** Waits until a remote engine answers again (logging "Reconnecting to …"); false when it gave up. */
  reconnect(abort: AbortSignal): Promise<boolean>;
  /** Stops following (the app closes; the container keeps running). */
  detach(): Promise<void>;
}
