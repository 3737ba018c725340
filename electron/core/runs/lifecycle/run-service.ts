import type Dockerode from 'dockerode';
import fs from 'node:fs/promises';
import os from 'node:os';
import { AppError, LOCAL_ENGINE_ID, type GpuSample, type RunSettings, type RunSummary } from '../../../contract';
import type { EventBus } from '../../event-bus';
import type { StudioPaths } from '../../paths';
import type { ContainerUser } from '../../docker/container-spec';
import { runGpuSample } from '../ingest/gpu-samples';
import { LiveRun, type RunPublisher } from './live-run';
import { MetricsStream, loadMetrics } from '../ingest/metrics-stream';
import { modelFacts } from '../estimate/model-catalog';
import { sendStop, startAttempt, watchUntilExit, type AttemptEnv } from './run-attempt';
import { initialRunState, type RunRecordFile, type RunStateFile } from '../folder/run-files';
import { deleteRunFolder } from '../folder/run-delete';
import { noticeEngineBack } from './engine-back';
import { listRunIds, readRun, RunFolder } from '../folder/run-folder';
import { makeRunId, runIdKey } from '../folder/run-id';
import { resolveUserPath } from '../../user-path';
import { runsToStart } from './run-queue';
import { reattachRuns } from './run-reattach';
import { buildRunSummary, defaultRunName } from '../history/run-summary';
import { toTrainerConfig } from '../folder/trainer-config';
import {
  configFor,
  engineMissing,
  LOCAL_RUN_ENGINE,
  mayHaveLastCheckpoint,
  placeOf,
  refuseOnEngine,
  removeEngineData,
  runEngine,
} from '../place/run-places';

/** What the run service is built from; everything but the first four has a sensible default. */
export interface RunServiceOptions {
  docker(): Promise<Dockerode>;
  paths: StudioPaths;
  bus: EventBus;
  /** The tag of the trainer image to run (the image service builds it). */
  trainerImage(): Promise<string>;
  now?: () => Date;
  /** The uid:gid containers run as; default this process's (none on Windows). */
  user?: ContainerUser;
  totalMemoryBytes?: number;
  /** Container names start with this; default `deit-studio`. */
  namePrefix?: string;
  /** Network of the weights-fetch step; default Docker's default network. */
  fetchNetworkMode?: string;
  stopTimeoutMs?: number;
  pollMs?: number;
  /** Extra `NAME=value` environment of training containers. */
  extraEnv?: string[];
  /** Proxy, mirror and certificates of the weights download; default: the app's settings and environment. */
  network?: AttemptEnv['network'];
  /**
   * A run's engine and its client by the id run.json records (the engine registry, in the app);
   * default: only 'local', whose client is `docker()`.
   */
  engineFor?: AttemptEnv['engineFor'];
  /** The engine new runs run on; default: this computer. */
  currentEngine?: AttemptEnv['currentEngine'];
}

/**
 * Runs: creates run folders, queues runs per device, drives their containers, follows their event
 * streams, reattaches after a restart, records GPU samples. One instance per app.
 */
export class RunService {
  readonly env: AttemptEnv;
  private readonly bus: EventBus;
  private readonly live = new Map<string, LiveRun>();
  private readonly queue: string[] = [];
  private readonly active = new Set<string>();
  private readonly abort = new AbortController();
  private readonly tasks = new Set<Promise<unknown>>();
  /** The task driving each active run; a run that just ended is cleaned up before it counts as idle. */
  private readonly driving = new Map<string, Promise<void>>();
  private ready: Promise<void> = Promise.resolve();
  private stateLock: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  /** GPU names from the latest telemetry sample (for speed estimates). */
  gpuNames: string[] = [];

  constructor(options: RunServiceOptions) {
    this.bus = options.bus;
    const local = { id: LOCAL_ENGINE_ID, kind: 'local', label: LOCAL_RUN_ENGINE.label } as const;
    this.env = {
      docker: options.docker,
      engineFor:
        options.engineFor ??
        (async (id) => {
          if (id !== LOCAL_ENGINE_ID) throw engineMissing(id);
          return { entry: local, docker: await options.docker() };
        }),
      currentEngine: options.currentEngine ?? (() => local),
      paths: options.paths,
      trainerImage: options.trainerImage,
      now: options.now ?? (() => new Date()),
      user: options.user !== undefined ? options.user : processUser(),
      totalMemoryBytes: options.totalMemoryBytes ?? os.totalmem(),
      namePrefix: options.namePrefix ?? 'deit-studio',
      fetchNetworkMode: options.fetchNetworkMode ?? 'default',
      stopTimeoutMs: options.stopTimeoutMs ?? 60_000,
      pollMs: options.pollMs ?? 250,
      extraEnv: options.extraEnv ?? [],
      ...(options.network ? { network: options.network } : {}),
    };
    this.unsubscribe = this.bus.on('gpu.sample', (sample) => this.recordGpuSample(sample));
  }

  /** Finds runs left running or queued by an earlier session and takes them over (in the background). */
  start(): Promise<void> {
    this.ready = this.track(
      reattachRuns(this.env, {
        publisher: this.publisher(),
        adopt: (live, watch) => this.adopt(live, watch),
        abort: this.abort.signal,
      }).catch(() => undefined), // Docker may be down: runs keep their last known status
    ).then(() => this.pump());
    return this.ready;
  }

  /** Creates a run folder and starts the run, or queues it behind runs on the same devices. */
  async create(settings: RunSettings): Promise<RunSummary> {
    await this.ready;
    settings = { ...settings, datasetPath: resolveUserPath(settings.datasetPath, 'folder') };
    await requireDataset(settings.datasetPath);
    const current = this.env.currentEngine();
    const engine = { id: current.id, kind: current.kind, label: current.label };
    refuseOnEngine(engine, settings);
    if (settings.initFromRunId) {
      const from = new RunFolder(this.env.paths.runsDir, settings.initFromRunId);
      if (!(await from.exists(from.bestCheckpoint))) {
        throw new AppError('not_found', 'The run to start from has no saved model.', {
          fix: 'Pick a run that finished at least one epoch, or start from the pretrained weights.',
        });
      }
    }
    const createdAt = this.env.now();
    await fs.mkdir(this.env.paths.runsDir, { recursive: true });
    let folder: RunFolder;
    for (;;) {
      folder = new RunFolder(this.env.paths.runsDir, makeRunId(createdAt, settings.modelId));
      // Private to the user (checkpoints, predictions, logs); the trainer runs as the same user.
      const made = await fs.mkdir(folder.dir, { mode: 0o700 }).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false;
          throw error;
        },
      );
      if (made) break;
    }
    const record: RunRecordFile = {
      version: 1,
      id: folder.id,
      name: settings.name?.trim() || defaultRunName(modelFacts(settings.modelId).title, settings.datasetPath),
      createdAt: createdAt.toISOString(),
      settings,
      image: null,
      engine,
    };
    const state = initialRunState();
    await folder.writeConfig(configFor(engine, toTrainerConfig(settings)));
    await folder.writeRecord(record);
    await folder.writeState(state);
    const live = new LiveRun(folder, record, state, new MetricsStream(), 0, this.publisher(), this.env.now);
    this.enqueue(live);
    return live.summary();
  }

  /** Stops a run: a queued one leaves the queue; a running one saves a checkpoint and exits. */
  async stop(id: string): Promise<RunSummary> {
    id = this.canonical(id);
    const live = this.live.get(id);
    if (!live) return this.summary(id);
    const status = live.state.status;
    if (status === 'queued') {
      this.queue.splice(this.queue.indexOf(id), 1);
      this.live.delete(id);
      await live.setStatus('stopped', { endedAt: this.env.now().toISOString(), resumable: true, stopCause: 'user' });
      await live.detach();
    } else if (status === 'preparing') {
      await live.update({ stopRequested: true });
      await sendStop(this.env, live);
    } else if (status === 'running') {
      await live.setStatus('stopping', { stopRequested: true });
      await sendStop(this.env, live);
    }
    return live.summary();
  }

  /** Queues a stopped (or resumable failed) run to continue from its last checkpoint. */
  async resume(id: string): Promise<RunSummary> {
    await this.ready;
    id = this.canonical(id); // a case variant of a live run's id is that run: never a second container on its folder
    await this.settle(id);
    if (this.live.has(id)) {
      throw new AppError('busy', 'This run is already running or waiting to run.', { fix: 'Wait for it.' });
    }
    const folder = new RunFolder(this.env.paths.runsDir, id);
    // Exclusive with noticeEngineBack, which may rewrite this run's state.json meanwhile.
    return this.exclusive(async () => {
      const { record, state } = await readRun(folder);
      if (!((state.status === 'stopped' || state.status === 'failed') && state.resumable)) {
        throw new AppError('validation', 'This run cannot be resumed.', {
          fix: 'Start a new run with the same settings instead.',
        });
      }
      const { stream, offset } = await loadMetrics(folder.metrics);
      const next: RunStateFile = {
        ...state,
        status: 'queued',
        stopRequested: false,
        stopCause: undefined,
        failure: null,
        resumeNext: await mayHaveLastCheckpoint(record, folder),
      };
      await folder.writeState(next);
      const live = new LiveRun(folder, record, next, stream, offset, this.publisher(), this.env.now);
      this.enqueue(live);
      return live.summary();
    });
  }

  /**
   * Runs that failed only because Docker did not answer learn that it answers again: their message
   * then says so and offers Resume (engine-back.ts). One ping, and only when such a run exists;
   * called by runs.list (all runs) and runs.get (`ids`: that run).
   */
  async noticeEngineBack(ids?: string[]): Promise<void> {
    await noticeEngineBack(
      {
        docker: async (engineId) => (await this.env.engineFor(engineId)).docker,
        isLive: (id) => this.live.has(id),
        exclusive: (task) => this.exclusive(task),
        updated: (summary) => this.bus.emit('run.updated', summary),
        now: this.env.now,
      },
      (ids ?? (await listRunIds(this.env.paths.runsDir))).map((id) => new RunFolder(this.env.paths.runsDir, id)),
    );
  }

  /** Deletes a run's folder (after `confirm`); refuses while the run is active or another starts from it. */
  async delete(id: string): Promise<void> {
    id = this.canonical(id); // a case variant of a live run's id is that run
    await this.settle(id);
    if (this.live.has(id)) {
      throw new AppError('busy', 'This run is running or waiting to run.', { fix: 'Stop it first, then delete it.' });
    }
    for (const other of this.live.values()) {
      if (other.record.settings.initFromRunId && runIdKey(other.record.settings.initFromRunId) === runIdKey(id)) {
        throw new AppError('busy', `The run "${other.record.name}" starts from this run's model.`, {
          fix: 'Wait until it has started training, or stop it, then delete this run.',
        });
      }
    }
    const record = await new RunFolder(this.env.paths.runsDir, id).readRecord().catch(() => null);
    if (record) await removeEngineData(this.env, record); // a server's run volume (best effort)
    await deleteRunFolder(this.env.paths.runsDir, id);
  }

  /** All runs, newest first. */
  async list(): Promise<RunSummary[]> {
    await this.noticeEngineBack();
    const summaries: RunSummary[] = [];
    for (const id of await listRunIds(this.env.paths.runsDir)) {
      const summary = await this.summary(id).catch(() => null);
      if (summary) summaries.push(summary);
    }
    return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  /** One run's summary: live when the app manages it now, else from its folder. */
  async summary(id: string): Promise<RunSummary> {
    const live = this.live.get(this.canonical(id));
    if (live) return live.summary();
    const { record, state } = await readRun(new RunFolder(this.env.paths.runsDir, id));
    return buildRunSummary(record, state, null, this.env.now());
  }

  /** True while a run is preparing or training (a processor speed probe would then time a busy machine). */
  hasActiveRuns(): boolean {
    return this.active.size > 0;
  }

  /** The live run with this id, if the app manages it now. */
  liveRun(id: string): LiveRun | undefined {
    return this.live.get(this.canonical(id));
  }

  /** The id of the live run that `id` names where the file system ignores case (run-id.ts), else `id`. */
  private canonical(id: string): string {
    if (this.live.has(id)) return id;
    const key = runIdKey(id);
    for (const other of this.live.keys()) if (runIdKey(other) === key) return other;
    return id;
  }

  /** Appends a telemetry sample to every running GPU run's gpu.jsonl (its own GPUs only). */
  recordGpuSample(sample: GpuSample): void {
    this.gpuNames = sample.gpus.map((gpu) => gpu.name);
    for (const live of this.live.values()) {
      if (live.record.settings.device !== 'gpu') continue;
      if (live.state.status !== 'running' && live.state.status !== 'stopping') continue;
      // Samples are this computer's GPUs (nvidia-smi here): a run on a server gets none of them.
      if (runEngine(live.record).kind !== 'local') continue;
      const own = runGpuSample(sample, live.record.settings);
      void live.folder.appendGpuSample(own).catch(() => undefined);
      this.bus.emit('run.gpu', { runId: live.id, sample: own });
    }
  }

  /** Stops following runs and waiting for containers; the containers keep running. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    this.abort.abort();
    for (const live of this.live.values()) {
      await placeOf(this.env, live).detach(); // a remote run's mirror; the local run folder keeps what came
      await live.detach();
    }
    // A weights download cannot be interrupted mid-way here; closing does not wait for it.
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise((resolve) => (timer = setTimeout(resolve, 5000)));
    await Promise.race([Promise.allSettled([...this.tasks]), patience]);
    clearTimeout(timer);
  }

  /** Waits until a run that has just ended (its status already final) is no longer managed. */
  private async settle(id: string): Promise<void> {
    const live = this.live.get(id);
    const ended = live && ['stopped', 'failed', 'finished'].includes(live.state.status);
    if (ended) await this.driving.get(id);
  }

  /** Runs `task` after every earlier exclusive task (read-modify-write of a stopped or failed run's state). */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.stateLock.then(task);
    this.stateLock = next.catch(() => undefined);
    return next;
  }

  private enqueue(live: LiveRun): void {
    this.live.set(live.id, live);
    this.queue.push(live.id);
    this.pump();
    // A run that starts at once announced 'preparing'; one that waits says so too.
    if (live.state.status === 'queued') this.bus.emit('run.updated', live.summary());
  }

  /** Takes over a run found by reattach: `watch` when its container is there, else it is queued. */
  private adopt(live: LiveRun, watch: boolean): void {
    if (!watch) return this.enqueue(live);
    this.live.set(live.id, live);
    this.active.add(live.id);
    this.track(this.drive(live, false));
  }

  private pump(): void {
    if (this.abort.signal.aborted) return;
    const devices = (id: string) => (this.live.get(id) as LiveRun).record.settings;
    const ids = runsToStart(
      [...this.active].map(devices),
      this.queue.map((id) => ({ id, devices: devices(id) })),
    );
    for (const id of ids) {
      this.queue.splice(this.queue.indexOf(id), 1);
      this.active.add(id);
      this.track(this.drive(this.live.get(id) as LiveRun, true));
    }
  }

  private drive(live: LiveRun, start: boolean): Promise<void> {
    const task = this.attempt(live, start).finally(() => {
      if (this.driving.get(live.id) === task) this.driving.delete(live.id);
    });
    this.driving.set(live.id, task);
    return task;
  }

  private async attempt(live: LiveRun, start: boolean): Promise<void> {
    if (start) await startAttempt(this.env, live);
    if (live.container && !(await watchUntilExit(this.env, live, this.abort.signal))) return;
    if (this.abort.signal.aborted) return;
    await live.detach();
    this.active.delete(live.id);
    this.live.delete(live.id);
    this.pump();
  }

  private publisher(): RunPublisher {
    return {
      updated: (summary) => this.bus.emit('run.updated', summary),
      event: (runId, index, event) => this.bus.emit('run.event', { runId, index, event }),
      log: (runId, lines) => this.bus.emit('run.log', { runId, lines }),
    };
  }

  private track<T>(task: Promise<T>): Promise<T> {
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task)).catch(() => undefined);
    return task;
  }
}

async function requireDataset(folder: string): Promise<void> {
  const stat = await fs.stat(folder).catch(() => null);
  if (!stat?.isDirectory()) {
    throw new AppError('dataset_invalid', `The dataset folder ${folder} does not exist.`, {
      fix: 'Choose the folder that holds one sub-folder of images per class.',
    });
  }
}

function processUser(): ContainerUser {
  if (process.platform === 'win32' || !process.getuid || !process.getgid) return null;
  return { uid: process.getuid(), gid: process.getgid() };
}
