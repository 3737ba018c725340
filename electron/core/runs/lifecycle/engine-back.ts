import type Dockerode from 'dockerode';
import type { RunFailure, RunSummary } from '../../../contract';
import type { RunStateFile } from '../folder/run-files';
import type { RunFolder } from '../folder/run-folder';
import { buildRunSummary } from '../history/run-summary';
import { mayHaveLastCheckpoint, runEngine } from '../place/run-places';

/**
 * Runs that failed only because Docker was not answering (`failure.cause` docker_gone) say so until
 * the engine answers again; then their message says Docker is back and Resume is the way on. The
 * run service checks this when runs are listed or one is opened (`runs.list`, `runs.get`): one ping,
 * only when such a run exists, and the new state is saved atomically like every state change.
 *
 *   await noticeEngineBack(hooks, folders); // from RunService.noticeEngineBack
 */

/** What noticing needs from the run service. */
export interface EngineBackHooks {
  /** The client of a run's engine, by the id its run.json records ('local': this computer). */
  docker(engineId: string): Promise<Dockerode>;
  /** The run is managed now (queued or active): its state is not this module's to change. */
  isLive(id: string): boolean;
  /** Runs a read-modify-write of a run's state.json exclusively with the service's own (resume). */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Announces a run's new summary (`run.updated`). */
  updated(summary: RunSummary): void;
  now(): Date;
}

/** Pings the engine when one of `folders` waits for it; when it answers, tells those runs (saved atomically). */
export async function noticeEngineBack(hooks: EngineBackHooks, folders: RunFolder[]): Promise<void> {
  // Grouped by the engine each run ran on: one ping per engine that such a run waits for.
  const waiting = new Map<string, RunFolder[]>();
  for (const folder of folders) {
    if (hooks.isLive(folder.id)) continue;
    const state = await folder.readState().catch(() => null);
    if (!state || !waitsForEngine(state)) continue;
    const engineId = runEngine((await folder.readRecord().catch(() => null)) ?? {}).id;
    waiting.set(engineId, [...(waiting.get(engineId) ?? []), folder]);
  }
  for (const [engineId, runs] of waiting) {
    if (await engineAnswers(() => hooks.docker(engineId))) await tellBack(hooks, runs);
  }
}

async function tellBack(hooks: EngineBackHooks, waiting: RunFolder[]): Promise<void> {
  for (const folder of waiting) {
    const summary = await hooks
      .exclusive(async () => {
        // Read again: the run may have been resumed or deleted while the engine was asked.
        const [record, state] = [await folder.readRecord(), await folder.readState()];
        if (hooks.isLive(folder.id) || !record || !state?.failure || !waitsForEngine(state)) return null;
        const hasCheckpoint = await mayHaveLastCheckpoint(record, folder);
        const next = { ...state, failure: engineBackFailure(state.failure, state.resumable, hasCheckpoint) };
        await folder.writeState(next);
        return buildRunSummary(record, next, null, hooks.now());
      })
      .catch(() => null); // the folder went away meanwhile
    if (summary) hooks.updated(summary);
  }
}

/** The start of every "Docker is back" message: a run that says it no longer waits. */
export const ENGINE_BACK_PREFIX = 'Docker is running again';

/** True for a failed run whose failure was the engine's absence, not yet told that Docker is back. */
export function waitsForEngine(state: RunStateFile): boolean {
  return (
    state.status === 'failed' &&
    state.failure?.cause === 'docker_gone' &&
    !state.failure.message.startsWith(ENGINE_BACK_PREFIX)
  );
}

/** The failure of such a run once Docker answers again (cause and detail kept: it is still why it stopped). */
export function engineBackFailure(failure: RunFailure, resumable: boolean, hasCheckpoint: boolean): RunFailure {
  if (!resumable) {
    return {
      ...failure,
      message: `${ENGINE_BACK_PREFIX}, but this run had saved no checkpoint to continue from.`,
      fix: 'Start a new run with the same settings.',
    };
  }
  return {
    ...failure,
    message: hasCheckpoint
      ? `${ENGINE_BACK_PREFIX}: resume the run to continue from its last checkpoint.`
      : `${ENGINE_BACK_PREFIX}: resume the run to start its training.`,
    fix: 'Press “Resume training”.',
  };
}

/** Whether the engine answers a ping within `timeoutMs` (an engine that hangs counts as not answering). */
export async function engineAnswers(docker: () => Promise<Dockerode>, timeoutMs = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const ping = docker()
    .then((client) => client.ping())
    .then(
      () => true,
      () => false,
    );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
