import type Dockerode from 'dockerode';
import fs from 'node:fs/promises';
import type { EngineEntry } from '../../../contract';
import { containerNetwork, type ContainerNetwork } from '../../network/container-network';
import type { StudioPaths } from '../../paths';
import { fetchWeightsContainerSpec, LABELS, trainContainerSpec, type ContainerUser } from '../../docker/container-spec';
import type { LiveRun } from './live-run';
import { waitWhileEngineAnswers } from './engine-watch';
import { endWithNewline } from '../ingest/metrics-stream';
import { placeOf } from '../place/run-places';
import type { EngineHandle, RunPlace } from '../place/run-place';
import { readContainerTail } from '../folder/container-file';
import { classifyAttemptEnd, classifyStartError, isConnectionError } from './run-outcome';
import {
  containerLogTail,
  inspectExit,
  removeContainer,
  signalContainer,
  statusCode,
} from '../../docker/run-containers';
import { runToolContainer } from '../../docker/tool-container';
import { weightsFetchFailure } from '../../weights/weights-fetch';

/** What running an attempt needs from the outside world (all injected, so tests use real ones). */
export interface AttemptEnv {
  /** The current engine's client (new runs; RunService's `docker`). A run's own calls go to `engineFor`. */
  docker(): Promise<Dockerode>;
  /** A run's engine and its Docker client, by the engine id its run.json records ('local': this computer). */
  engineFor(id: string): Promise<EngineHandle>;
  /** The engine new runs run on. */
  currentEngine(): EngineEntry;
  paths: StudioPaths;
  trainerImage(): Promise<string>;
  now(): Date;
  user: ContainerUser;
  totalMemoryBytes: number;
  namePrefix: string;
  fetchNetworkMode: string;
  /** After SIGTERM, how long the trainer may take to save and exit before it is killed. */
  stopTimeoutMs: number;
  pollMs: number;
  /** Extra environment of training containers (tests limit CPU threads with OMP_NUM_THREADS=1). */
  extraEnv: string[];
  /** Proxy, mirror and certificates of the weights download; default: the app's (electron/core/network). */
  network?: () => Promise<ContainerNetwork>;
}

/**
 * Takes a queued run to a started container: record the image, check the dataset folder, fetch the
 * pretrained weights when missing, create and start the training container, follow its files.
 * Any failure ends the run as `failed` with a classified reason; nothing is thrown.
 */
export async function startAttempt(env: AttemptEnv, live: LiveRun): Promise<void> {
  const settings = live.record.settings;
  const attempt = live.state.attempts + 1;
  await live.setStatus('preparing', {
    attempts: attempt,
    failure: null,
    exitCode: null,
    oomKilled: null,
    endedAt: null,
  });
  try {
    const place = placeOf(env, live);
    const docker = await place.docker(); // the run's own engine, always
    const tag = await env.trainerImage();
    const digest = await docker
      .getImage(tag)
      .inspect()
      .then((info) => info.Id)
      .catch(() => null);
    live.record = { ...live.record, image: { tag, digest } };
    await live.folder.writeRecord(live.record);
    // From scratch needs no weights; neither does starting from an earlier run's model.
    const needsWeights = !settings.initFromRunId && settings.pretrained;
    const prepared = await place.prepare({ live, docker, image: tag, needsWeights });
    if (live.state.stopRequested) return void (await endWithoutContainer(env, live));
    if (prepared.fetchWeightsInto !== null) {
      const fetched = await runToolContainer(
        docker,
        fetchWeightsContainerSpec({
          runId: live.id,
          image: tag,
          modelId: settings.modelId,
          weightsDir: prepared.fetchWeightsInto,
          user: env.user,
          dataDir: env.paths.dataDir,
          namePrefix: env.namePrefix,
          networkMode: env.fetchNetworkMode,
          // This computer's proxy and certificates; a server downloads the way it is set up itself.
          network: place.remote
            ? undefined
            : await (env.network ?? (() => containerNetwork({ dataDir: env.paths.dataDir })))(),
        }),
        (lines) => live.log(lines),
        (container) => (live.helper = container),
      );
      if (live.state.stopRequested) return void (await endWithoutContainer(env, live));
      if (fetched.exitCode !== 0) {
        return void (await live.setStatus('failed', {
          failure: weightsFetchFailure(fetched),
          endedAt: env.now().toISOString(),
          resumable: true, // nothing trained yet: starting again loses nothing
        }));
      }
    }
    if (live.state.stopRequested) return void (await endWithoutContainer(env, live));
    const resume = live.state.resumeNext && (await place.hasLastCheckpoint(null));
    const spec = trainContainerSpec({
      runId: live.id,
      attempt,
      image: tag,
      imageLabel: digest ? `${tag}@${digest}` : tag,
      settings,
      mounts: await place.mounts(docker, tag),
      user: env.user,
      totalMemoryBytes: env.totalMemoryBytes,
      resume,
      dataDir: env.paths.dataDir,
      namePrefix: env.namePrefix,
      extraEnv: env.extraEnv,
    });
    await removeStale(docker, spec.name as string, live.id, env.paths.dataDir);
    const container = await docker.createContainer(spec);
    try {
      await place.beforeStart(container);
      await container.start();
    } catch (error) {
      await removeContainer(container).catch(() => undefined);
      throw error;
    }
    live.container = container;
    const logOffset = await fileSize(live.folder.trainLog);
    const startedAt = env.now().toISOString();
    await live.setStatus(live.state.stopRequested ? 'stopping' : 'running', {
      containerId: container.id,
      startedAt: live.state.startedAt ?? startedAt,
      attemptStartedAt: startedAt,
      resumeNext: false,
    });
    await place.follow(container, logOffset);
    if (live.state.stopRequested) await sendStop(env, live);
  } catch (error) {
    const failure = classifyStartError(error);
    await live.setStatus('failed', {
      failure,
      // A start refused because Docker does not answer never reached a container: not an attempt.
      ...(failure.cause === 'docker_gone' ? { attempts: attempt - 1 } : {}),
      endedAt: env.now().toISOString(),
      // No container ran this time: "resume" tries again (from last.pt when an earlier attempt left one).
      resumable: true,
      resumeNext: await placeOf(env, live)
        .hasLastCheckpoint(null)
        .catch(() => false),
    });
  }
}

/**
 * Waits for the training container to exit, reads the rest of its event stream, classifies how it
 * ended, saves that, and removes the container (never before its exit code and logs are read).
 * Returns false when waiting was abandoned because the app is closing (the container keeps running).
 */
export async function watchUntilExit(env: AttemptEnv, live: LiveRun, abort: AbortSignal): Promise<boolean> {
  let container = live.container;
  if (!container) return true;
  const place = placeOf(env, live);
  let dockerGone = false;
  let waitedCode: number | null = null;
  for (;;) {
    try {
      // Not a bare container.wait(): it never settles when the engine is killed mid-wait (engine-watch.ts).
      const result = await waitWhileEngineAnswers(container, () => place.docker(), abort);
      waitedCode = result.StatusCode;
    } catch (error) {
      if (abort.aborted) return false;
      if (isConnectionError(error)) dockerGone = !(await pingable(place));
      else if (statusCode(error) !== 404) dockerGone = !(await pingable(place));
      // A server that does not answer for a while is waited for: the run goes on there meanwhile.
      if (dockerGone && place.remote && (await place.reconnect(abort))) {
        dockerGone = false;
        container = live.container = (await place.docker()).getContainer(container.id);
        continue;
      }
      if (abort.aborted) return false;
    }
    break;
  }
  if (abort.aborted) return false;
  if (live.stopTimer) clearTimeout(live.stopTimer);
  live.stopTimer = null;
  // Everything the container wrote reaches the local run folder first (remote: the final copy).
  await place.afterExit(dockerGone ? null : container, dockerGone);
  await live.unfollow(true);
  await endWithNewline(live.folder.metrics);
  const info = dockerGone ? null : await inspectExit(container).catch(() => null);
  const logTail = dockerGone ? [] : await crashTail(container, live);
  const metrics = live.stream.metrics;
  const outcome = classifyAttemptEnd(
    {
      exitCode: info?.exitCode ?? waitedCode,
      oomKilled: info?.oomKilled ?? false,
      stopRequested: live.state.stopRequested,
      dockerGone,
      containerMissing: info === null && !dockerGone,
      error: metrics.error,
      stopped: metrics.stopped,
      finished: metrics.finished,
      batchSize: metrics.batchSize,
      lastCheckpointExists: await place.hasLastCheckpoint(dockerGone ? null : container),
      logTail,
    },
    live.record.settings,
  );
  // An exit seen after a restart happened when Docker says, not when the app noticed.
  const now = info?.finishedAt ? new Date(info.finishedAt) : env.now();
  const attemptSeconds = live.state.attemptStartedAt
    ? Math.max(0, (now.getTime() - Date.parse(live.state.attemptStartedAt)) / 1000)
    : 0;
  // Saved first (a crash now still knows the outcome), announced once the container is gone.
  await live.update(
    {
      status: outcome.status,
      failure: outcome.failure,
      stopCause: outcome.stopCause,
      resumable: outcome.resumable,
      resumeNext: outcome.resumable,
      exitCode: info?.exitCode ?? waitedCode,
      oomKilled: info?.oomKilled ?? null,
      endedAt: now.toISOString(),
      activeSeconds: live.state.activeSeconds + attemptSeconds,
      attemptStartedAt: null,
    },
    false,
  );
  if (!dockerGone) await removeContainer(container).catch(() => undefined);
  if (outcome.status === 'finished') await place.finished().catch(() => undefined);
  live.container = null;
  live.announce();
  return true;
}

/** Asks the trainer to stop (SIGTERM: it saves a checkpoint and exits), and kills it if it takes too long. */
export async function sendStop(env: AttemptEnv, live: LiveRun): Promise<void> {
  if (live.helper) await signalContainer(live.helper, 'SIGKILL').catch(() => undefined);
  const container = live.container;
  if (!container) return;
  if (!live.stopTimer) {
    live.stopTimer = setTimeout(() => {
      void signalContainer(container, 'SIGKILL').catch(() => undefined);
    }, env.stopTimeoutMs);
    live.stopTimer.unref();
  }
  await signalContainer(container, 'SIGTERM').catch(() => undefined);
}

async function endWithoutContainer(env: AttemptEnv, live: LiveRun): Promise<void> {
  const resumable = true; // nothing ran, or the earlier checkpoint is still there: starting again loses nothing
  await live.setStatus('stopped', { endedAt: env.now().toISOString(), resumable, stopCause: 'user' });
}

/**
 * Removes this run's leftover training containers: one with the same name, and exited ones of earlier
 * attempts that ended while Docker was gone (they could not be removed then and would stay forever).
 */
async function removeStale(docker: Dockerode, name: string, runId: string, dataDir: string): Promise<void> {
  await removeContainer(docker.getContainer(name)).catch(() => undefined);
  const label = [`${LABELS.run}=${runId}`, `${LABELS.dataDir}=${dataDir}`, `${LABELS.role}=train`];
  const ended = await docker
    .listContainers({ all: true, filters: { label, status: ['exited', 'dead', 'created'] } })
    .catch(() => []);
  for (const info of ended) await removeContainer(docker.getContainer(info.Id)).catch(() => undefined);
}

async function crashTail(container: Dockerode.Container, live: LiveRun): Promise<string[]> {
  const fromDocker = await containerLogTail(container, 40);
  const lines = fromDocker.filter((line) => !line.startsWith('{"v"'));
  if (lines.length) return lines.slice(-20);
  // Its end only, never through a link (the container wrote it).
  const log = await readContainerTail(live.folder.trainLog, live.folder.trainerDir, 64 * 1024).catch(() => ({
    text: '',
  }));
  return log.text.split(/\r?\n/).filter(Boolean).slice(-20);
}

async function pingable(place: RunPlace): Promise<boolean> {
  try {
    await (await place.docker()).ping();
    return true;
  } catch {
    return false;
  }
}

async function fileSize(file: string): Promise<number> {
  return (await fs.lstat(file).catch(() => null))?.size ?? 0;
}
