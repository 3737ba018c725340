import type Dockerode from 'dockerode';
import fs from 'node:fs/promises';
import { LiveRun, type RunPublisher } from './live-run';
import { endWithNewline, loadMetrics } from '../ingest/metrics-stream';
import type { AttemptEnv } from './run-attempt';
import { listRunContainers, removeContainer, type RunContainer } from '../../docker/run-containers';
import { listRunIds, RunFolder } from '../folder/run-folder';
import { classifyAttemptEnd } from './run-outcome';
import { placeOf, runEngine } from '../place/run-places';

/** How reattach hands runs back to the service. */
export interface ReattachHooks {
  publisher: RunPublisher;
  /** `watch`: its container is there (running or exited) and set on the live run; else queue it. */
  adopt(live: LiveRun, watch: boolean): void;
  abort: AbortSignal;
}

const ACTIVE = new Set(['preparing', 'running', 'stopping']);

/**
 * After a restart: every run folder whose state says queued, preparing, running or stopping is
 * matched with its labelled container. A live container is followed again from where metrics.jsonl
 * was read to (nothing is lost: the file is the stream); an exited one is classified and removed;
 * a vanished one is classified from its events. Queued runs (and interrupted preparations) queue again.
 */
export async function reattachRuns(env: AttemptEnv, hooks: ReattachHooks): Promise<void> {
  // Each run's container is looked for on its own engine; an engine that does not answer now leaves
  // its runs as they are (their last known status) rather than failing them.
  const byEngine = new Map<string, Promise<{ docker: Dockerode; containers: RunContainer[] } | null>>();
  const engine = (id: string) => {
    let found = byEngine.get(id);
    if (!found) {
      found = env
        .engineFor(id)
        .then(async ({ docker }) => ({ docker, containers: await listRunContainers(docker, env.paths.dataDir) }))
        .catch(() => null);
      byEngine.set(id, found);
    }
    return found;
  };
  // As before engines: when the current engine does not answer, nothing is taken over (not even queued runs).
  if (!(await engine(env.currentEngine().id))) throw new Error('The current Docker engine does not answer.');
  const ids = (await listRunIds(env.paths.runsDir)).reverse(); // oldest first: queue order
  for (const id of ids) {
    if (hooks.abort.aborted) return;
    const folder = new RunFolder(env.paths.runsDir, id);
    const [record, state] = [await folder.readRecord(), await folder.readState()];
    if (!record || !state || !(state.status === 'queued' || ACTIVE.has(state.status))) continue;
    const found = state.status === 'queued' ? null : await engine(runEngine(record).id);
    if (state.status !== 'queued' && !found) continue;
    const docker = found?.docker;
    const mine = (found?.containers ?? []).filter((c) => c.runId === id);
    for (const helper of mine.filter((c) => c.role !== 'train')) {
      await removeContainer((docker as Dockerode).getContainer(helper.id)).catch(() => undefined);
    }
    const train = newest(mine.filter((c) => c.role === 'train'));
    for (const old of mine.filter((c) => c.role === 'train' && c !== train)) {
      await removeContainer((docker as Dockerode).getContainer(old.id)).catch(() => undefined);
    }
    const { stream, offset } = await loadMetrics(folder.metrics);
    const live = new LiveRun(folder, record, state, stream, offset, hooks.publisher, env.now);
    if (state.status === 'queued' || (state.status === 'preparing' && !train)) {
      // An interrupted preparation starts over (the weights fetch is idempotent).
      if (state.status !== 'queued') await live.setStatus('queued', {});
      hooks.adopt(live, false);
    } else if (train && docker) {
      live.container = docker.getContainer(train.id);
      if (state.status === 'preparing') {
        await live.setStatus(state.stopRequested ? 'stopping' : 'running', {
          containerId: train.id,
          attemptStartedAt: state.attemptStartedAt ?? env.now().toISOString(),
        });
      }
      if (train.running) {
        const logOffset = (await fs.stat(folder.trainLog).catch(() => null))?.size ?? 0;
        await placeOf(env, live).follow(live.container, logOffset);
        if (live.state.status === 'stopping') armKill(env, live);
      }
      hooks.adopt(live, true);
    } else {
      await endVanished(env, live);
    }
  }
}

/** A run whose container is gone (removed while the app was closed): classified from its events. */
async function endVanished(env: AttemptEnv, live: LiveRun): Promise<void> {
  await endWithNewline(live.folder.metrics);
  const metrics = live.stream.metrics;
  const outcome = classifyAttemptEnd(
    {
      exitCode: metrics.finished || metrics.stopped ? 0 : null,
      oomKilled: false,
      stopRequested: live.state.stopRequested,
      dockerGone: false,
      containerMissing: true,
      error: metrics.error,
      stopped: metrics.stopped,
      finished: metrics.finished,
      batchSize: metrics.batchSize,
      lastCheckpointExists: await placeOf(env, live).hasLastCheckpoint(null),
      logTail: [],
    },
    live.record.settings,
  );
  await live.setStatus(outcome.status, {
    failure: outcome.failure,
    stopCause: outcome.stopCause,
    resumable: outcome.resumable,
    resumeNext: outcome.resumable,
    endedAt: env.now().toISOString(),
    attemptStartedAt: null,
  });
  await live.detach();
}

/** A run that was stopping when the app closed: kill it if it still has not exited in time. */
function armKill(env: AttemptEnv, live: LiveRun): void {
  const container = live.container;
  if (!container || live.stopTimer) return;
  live.stopTimer = setTimeout(
    () => void container.kill({ signal: 'SIGKILL' }).catch(() => undefined),
    env.stopTimeoutMs,
  );
  live.stopTimer.unref();
}

function newest(containers: RunContainer[]): RunContainer | undefined {
  return [...containers].sort((a, b) => b.attempt - a.attempt)[0];
}
