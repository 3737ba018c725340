import type Dockerode from 'dockerode';
import fs from 'node:fs/promises';
import { AppError } from '../../../contract';
import { resolveUserPath } from '../../user-path';
import { RunFolder } from '../folder/run-folder';
import { checkedRunMount } from '../folder/mount-check';
import { hasPretrainedWeights } from '../../weights/weights-cache';
import { localCompileCache } from './compile-cache';
import type { AttemptEnv } from '../lifecycle/run-attempt';
import type { LiveRun } from '../lifecycle/live-run';
import type { RunMounts } from '../../docker/container-spec';
import type { PreparedPlace, PrepareInput, RunEngine, RunPlace } from './run-place';

/**
 * A run on this computer's engine (run-place.ts): the container bind-mounts the dataset (read-only),
 * the run's output/ and config.json, the weights and cache folders, and writes output/ directly;
 * LiveRun follows metrics.jsonl and train.log there.
 */
export class BindPlace implements RunPlace {
  readonly remote = false;

  constructor(
    private readonly env: AttemptEnv,
    private readonly live: LiveRun,
    readonly engine: RunEngine,
  ) {}

  async docker(): Promise<Dockerode> {
    return (await this.env.engineFor(this.engine.id)).docker;
  }

  async prepare({ live, needsWeights }: PrepareInput): Promise<PreparedPlace> {
    const { env } = this;
    const settings = live.record.settings;
    await requireFolder(settings.datasetPath);
    await fs.mkdir(env.paths.weightsDir, { recursive: true });
    await fs.mkdir(env.paths.cacheDir, { recursive: true });
    // Imported weights count as present (weights-cache.ts); the fetch step needs network: only when missing.
    const fetch = needsWeights && !(await hasPretrainedWeights(env.paths.weightsDir, settings.modelId));
    return { fetchWeightsInto: fetch ? env.paths.weightsDir : null };
  }

  async mounts(): Promise<RunMounts> {
    const { env, live } = this;
    const settings = live.record.settings;
    // The container writes only output/ (a legacy run: its folder); config.json is mounted read-only.
    // Every source is re-checked now, just before use: a real folder of the runs folder, not a link.
    await live.folder.prepareOutput();
    const runsDir = env.paths.runsDir;
    const initDir = settings.initFromRunId ? new RunFolder(runsDir, settings.initFromRunId).checkpointsDir : null;
    return {
      dataset: settings.datasetPath,
      run: await checkedRunMount(runsDir, live.folder.trainerDir, 'folder'),
      config: await checkedRunMount(runsDir, live.folder.configJson, 'file'),
      weights: env.paths.weightsDir,
      cache: env.paths.cacheDir,
      init: initDir ? await checkedRunMount(runsDir, initDir, 'folder') : null,
      compileCache: await localCompileCache(env.paths.dataDir, settings.datasetPath),
    };
  }

  async beforeStart(): Promise<void> {}

  async follow(_container: Dockerode.Container, logOffset: number): Promise<void> {
    await this.live.follow(this.env.pollMs, logOffset);
  }

  async afterExit(): Promise<void> {}

  hasLastCheckpoint(): Promise<boolean> {
    return this.live.folder.exists(this.live.folder.lastCheckpoint);
  }

  async finished(): Promise<void> {
    await this.live.folder.dropTrainerCaches().catch(() => undefined);
  }

  async reconnect(): Promise<boolean> {
    return false; // this computer's engine gone is Docker gone (run-outcome.ts)
  }

  async detach(): Promise<void> {}
}

async function requireFolder(folder: string): Promise<void> {
  resolveUserPath(folder, 'folder'); // run.json is in a folder a container writes: never mount `/` or a system folder
  const stat = await fs.stat(folder).catch(() => null);
  if (!stat?.isDirectory()) {
    throw new AppError('dataset_invalid', `The dataset folder ${folder} is not there any more.`, {
      fix: 'Reconnect the disk that holds it (or move it back), then start the run again.',
    });
  }
}
