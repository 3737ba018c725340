import { compileCacheVolume } from './compile-cache';
import type Dockerode from 'dockerode';
import fs from 'node:fs/promises';
import path from 'node:path';
import tar from 'tar-stream';
import { AppError } from '../../../contract';
import { LABELS, type RunMounts } from '../../docker/container-spec';
import { CAPS, readContainerTail } from '../folder/container-file';
import { CONTAINER_PATHS } from '../folder/trainer-config';
import type { AttemptEnv } from '../lifecycle/run-attempt';
import type { LiveRun } from '../lifecycle/live-run';
import { datasetContent } from './dataset-hash';
import { ensureDatasetVolume, SendStopped } from './dataset-volume';
import { RunMirror } from './run-mirror';
import type { PreparedPlace, PrepareInput, RunEngine, RunPlace } from './run-place';
import { copyFromArchive, type CopyRule } from './untrusted-tar';
import { ensureVolume, ownVolume, remoteStat, VOLUME_LABELS, volumeNames } from './volume-containers';

/** How long a run waits for a server that stopped answering before it counts as gone. */
export const RECONNECT_FOR_MS = 15 * 60_000;

const GIB = 1024 ** 3;

/** What the final copy brings back from the run's volume (paths relative to /run), best.pt on request. */
export const RESULT_PATHS = [
  'metrics.jsonl',
  'train.log',
  'resolved-config.json',
  'split.json',
  'skipped.json',
  'report.md',
  'eval',
  'export',
] as const;

/** How each file coming back is written locally, and its cap (anything else is left out). */
export function resultRule(rel: string, withBest: boolean): CopyRule | null {
  if (rel === 'metrics.jsonl') return { mode: 'append', cap: CAPS.metrics };
  if (rel === 'train.log') return { mode: 'append', cap: GIB };
  if (['resolved-config.json', 'split.json', 'skipped.json'].includes(rel)) return { mode: 'replace', cap: CAPS.json };
  if (rel === 'report.md') return { mode: 'replace', cap: CAPS.report };
  if (/^eval\/[^/]+\.json$/.test(rel)) return { mode: 'replace', cap: CAPS.json };
  if (/^export\/[^/]+$/.test(rel)) return { mode: 'replace', cap: 8 * GIB };
  if (withBest && rel === 'checkpoints/best.pt') return { mode: 'replace', cap: 8 * GIB };
  return null;
}

/**
 * A run on a server's engine (run-place.ts), which cannot see this computer's folders: the dataset
 * is sent once into a volume keyed by its content hash (dataset-volume.ts), the run writes its own
 * volume at /run, weights and cache are volumes there, config.json is put into the container before
 * it starts, and a mirror (run-mirror.ts) copies what it writes into the local output/ folder; after
 * the exit a final copy brings the results (RESULT_PATHS; best.pt when the run finished). The run's
 * volume is removed once a finished run's results are here; a stopped one keeps it to resume from.
 */
export class VolumePlace implements RunPlace {
  readonly remote = true;
  private readonly names: ReturnType<typeof volumeNames>;
  private datasetVolume: string | null = null;
  /** torch.compile's kernels of the runs on this dataset (compile-cache.ts). */
  private compileVolume: string | null = null;
  private mirror: RunMirror | null = null;
  private copied = false;
  private lastSeen: boolean | null = null;

  constructor(
    private readonly env: AttemptEnv,
    private readonly live: LiveRun,
    readonly engine: RunEngine,
  ) {
    this.names = volumeNames(env.namePrefix);
  }

  async docker(): Promise<Dockerode> {
    return (await this.env.engineFor(this.engine.id)).docker;
  }

  async prepare({ live, docker, image, needsWeights }: PrepareInput): Promise<PreparedPlace> {
    const { env } = this;
    const settings = live.record.settings;
    if (settings.initFromRunId) {
      throw new AppError(
        'validation',
        `Starting from an earlier run's model does not work on ${this.engine.label} yet.`,
        {
          fix: 'Start from the pretrained weights, or run on "This computer".',
        },
      );
    }
    const stat = await fs.stat(settings.datasetPath).catch(() => null);
    if (!stat?.isDirectory()) {
      throw new AppError('dataset_invalid', `The dataset folder ${settings.datasetPath} is not there any more.`, {
        fix: 'Reconnect the disk that holds it (or move it back), then start the run again.',
      });
    }
    live.log([`Checking the dataset before sending it to ${this.engine.label}…`]);
    const content = await datasetContent(settings.datasetPath, path.join(env.paths.dataDir, 'dataset-hashes.json'));
    const common = { image, dataDir: env.paths.dataDir, namePrefix: env.namePrefix };
    const sent = await ensureDatasetVolume(docker, {
      ...common,
      content,
      label: this.engine.label,
      log: (lines) => live.log(lines),
      shouldStop: () => live.state.stopRequested,
    }).catch((error: unknown) => {
      if (error instanceof SendStopped) return null; // the attempt ends as stopped (run-attempt.ts)
      throw error;
    });
    if (!sent) return { fetchWeightsInto: null };
    this.datasetVolume = sent.volume;
    const labels = (kind: string) => ({ [VOLUME_LABELS.kind]: kind, [LABELS.dataDir]: env.paths.dataDir });
    if (await ensureVolume(docker, this.names.weights, labels('weights'))) {
      await ownVolume(docker, this.names.weights, env.user, common);
    }
    await ensureVolume(docker, this.names.cache, labels('cache'));
    this.compileVolume = compileCacheVolume(env.namePrefix, content.hash);
    if (await ensureVolume(docker, this.compileVolume, labels('compile'))) {
      await ownVolume(docker, this.compileVolume, env.user, common);
    }
    // The fetch step finds cached weights itself and downloads nothing then (weights.py).
    return { fetchWeightsInto: needsWeights ? { volume: this.names.weights } : null };
  }

  async mounts(docker: Dockerode, image: string): Promise<RunMounts> {
    const { env, live } = this;
    await live.folder.prepareOutput(); // where the mirror writes
    const run = this.names.run(live.id);
    const labels = { [VOLUME_LABELS.kind]: 'run', [LABELS.run]: live.id, [LABELS.dataDir]: env.paths.dataDir };
    if (await ensureVolume(docker, run, labels)) {
      await ownVolume(docker, run, env.user, {
        image,
        dataDir: env.paths.dataDir,
        namePrefix: env.namePrefix,
        runId: live.id,
      });
    }
    if (!this.datasetVolume) throw new Error('The dataset was not sent before the container was made.');
    return {
      dataset: { volume: this.datasetVolume },
      run: { volume: run },
      config: null,
      weights: { volume: this.names.weights },
      cache: { volume: this.names.cache },
      init: null,
      compileCache: this.compileVolume ? { volume: this.compileVolume } : null,
    };
  }

  async beforeStart(container: Dockerode.Container): Promise<void> {
    // The app's own copy stays in the run folder; the container gets one it cannot change back here.
    const config = await fs.readFile(this.live.folder.configJson);
    const inside = CONTAINER_PATHS.config.replace(/^\//, '');
    await container.putArchive(await packFiles([{ name: inside, data: config, mode: 0o644 }]), { path: '/' });
    await this.alignStream(container);
  }

  async follow(container: Dockerode.Container, logOffset: number): Promise<void> {
    this.copied = false;
    this.lastSeen = null;
    if (!this.mirror) {
      this.mirror = new RunMirror({
        outputDir: this.live.folder.outputDir,
        containerId: container.id,
        docker: () => this.docker(),
        onLost: () => this.live.log([`Reconnecting to ${this.engine.label}…`]),
        onBack: () => this.live.log([`Connected to ${this.engine.label} again.`]),
      });
      this.mirror.start();
    }
    await this.live.follow(this.env.pollMs, logOffset);
  }

  async afterExit(container: Dockerode.Container | null): Promise<void> {
    await this.mirror?.stop();
    this.mirror = null;
    if (!container) return; // the server is gone: its volume keeps the results for a later copy
    for (let attempt = 0; attempt < 5 && !this.copied; attempt++) {
      try {
        await this.copyBack(container.id, false);
        // The model comes back with a finished run, whose volume then goes (decided on the copied
        // stream: LiveRun may not have read its last lines yet).
        if (await this.endedFinished()) await this.copyBack(container.id, true, ['checkpoints/best.pt']);
        this.copied = true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
      }
    }
  }

  /**
   * Copies the results from the run's (exited) container into output/: the streamed files' missing
   * ends, the rest whole; `withBest` adds checkpoints/best.pt (the model, for exports and predictions).
   */
  async copyBack(
    containerId: string,
    withBest: boolean,
    paths: readonly string[] = [...RESULT_PATHS, ...(withBest ? ['checkpoints/best.pt'] : [])],
  ): Promise<void> {
    const container = (await this.docker()).getContainer(containerId);
    for (const rel of paths) {
      const stream = await container
        .getArchive({ path: `${CONTAINER_PATHS.run}/${rel}` })
        .catch((error: { statusCode?: number }) => {
          if (error.statusCode === 404) return null;
          throw error;
        });
      if (!stream) continue;
      const base = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
      await copyFromArchive(stream, this.live.folder.outputDir, base, (name) => resultRule(name, withBest));
    }
    this.lastSeen = await remoteStat(container, `${CONTAINER_PATHS.run}/checkpoints/last.pt`).then(
      (stat) => stat !== null,
      () => null,
    );
  }

  /** True when the local metrics.jsonl (after the final copy) ends with the trainer's `finished` event. */
  private async endedFinished(): Promise<boolean> {
    const { folder } = this.live;
    const tail = await readContainerTail(folder.metrics, folder.trainerDir, 64 * 1024).catch(() => ({ text: '' }));
    const last = tail.text.trimEnd().split('\n').pop() ?? '';
    try {
      return (JSON.parse(last) as { type?: unknown }).type === 'finished';
    } catch {
      return false;
    }
  }

  async hasLastCheckpoint(container: Dockerode.Container | null): Promise<boolean> {
    if (container && this.lastSeen !== null) return this.lastSeen;
    return true; // in the server's volume; the trainer starts from the beginning when there is none
  }

  async finished(): Promise<void> {
    if (!this.copied) return; // the results are still only there: keep them
    const docker = await this.docker();
    await docker
      .getVolume(this.names.run(this.live.id))
      .remove()
      .catch(() => undefined);
  }

  async reconnect(abort: AbortSignal): Promise<boolean> {
    this.live.log([`Reconnecting to ${this.engine.label}…`]);
    const until = Date.now() + RECONNECT_FOR_MS;
    for (let wait = 1000; !abort.aborted && Date.now() < until; wait = Math.min(wait * 2, 15_000)) {
      const answers = await this.docker()
        .then((docker) => docker.ping())
        .then(
          () => true,
          () => false,
        );
      if (answers) {
        this.live.log([`Connected to ${this.engine.label} again.`]);
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return false;
  }

  async detach(): Promise<void> {
    await this.mirror?.stop();
    this.mirror = null;
  }

  /**
   * metrics.jsonl in the volume gets what the local copy has when they differ (a killed trainer's
   * last line that the app ended with a newline after the exit), so the mirror's offsets stay equal.
   */
  private async alignStream(container: Dockerode.Container): Promise<void> {
    const local = await fs.readFile(this.live.folder.metrics).catch(() => null);
    if (!local) return;
    const remote = await remoteStat(container, `${CONTAINER_PATHS.run}/metrics.jsonl`);
    if (remote && remote.size === local.length) return;
    const owner = this.env.user ?? { uid: 0, gid: 0 };
    const tarred = await packFiles([{ name: 'metrics.jsonl', data: local, mode: 0o600, ...owner }]);
    await container.putArchive(tarred, { path: CONTAINER_PATHS.run });
  }
}

async function packFiles(
  files: Array<{ name: string; data: Buffer; mode: number; uid?: number; gid?: number }>,
): Promise<Buffer> {
  const pack = tar.pack();
  for (const file of files) {
    pack.entry(
      { name: file.name, mode: file.mode, uid: file.uid ?? 0, gid: file.gid ?? 0, mtime: new Date() },
      file.data,
    );
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
