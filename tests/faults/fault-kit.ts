import type Dockerode from 'dockerode';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { RunDetail, RunSettingsInput, TrainerEvent } from '../../electron/contract';
import { LABELS } from '../../electron/core/docker/container-spec';
import { runDetail } from '../../electron/core/runs/history/run-history';
import { readRun, RunFolder } from '../../electron/core/runs/folder/run-folder';
import { RunLiveStore } from '../../renderer/src/runs/run-live-store';
import { RunsHarness, tinyCpuSettings } from '../helpers/runs-harness';

// What every fault case checks, the same way: nothing lost beyond the documented bound (the last
// checkpoint: at most the epoch in progress), nothing doubled (runs.get as a reload sees it, and a
// live renderer store that was fed the event stream through the fault and the resume), and the run
// folder's checkpoint still loading (the resumed attempt continues from it).

/** The fault runs' data: DeiT-Ti on 64 generated images (48 to train on). */
export const FAULT_DATA = { model: 'deit_tiny_patch16_224', classes: 2, perClass: 32 } as const;
/** Epochs of a fault run: the fault comes in the second, after the first epoch's checkpoint. */
export const FAULT_EPOCHS = 2;
/** A fault run: a checkpoint at the end of every epoch (a few seconds each). */
export function faultSettings(dataset: string, patch: Partial<RunSettingsInput> = {}) {
  // 48 training images at batch 4 and 96 px: 12 steps, a few seconds an epoch, so a fault injected
  // after the first checkpoint lands inside the second epoch.
  return tinyCpuSettings(dataset, { epochs: FAULT_EPOCHS, batchSize: 4, imgSize: 96, ...patch });
}

/** A trainer event as metrics.jsonl holds it (snake_case, as the trainer wrote it). */
type FileEvent = TrainerEvent & Record<string, unknown>;

/** The run's metrics.jsonl (in its output/) split into attempts (each holds one run_started). */
export function attempts(runDir: string): FileEvent[][] {
  const text = fs.readFileSync(path.join(runDir, 'output', 'metrics.jsonl'), 'utf8');
  const out: FileEvent[][] = [];
  for (const line of text.split('\n')) {
    let event: FileEvent;
    try {
      event = JSON.parse(line) as FileEvent;
    } catch {
      continue; // a line cut by a kill (closed with a newline by the core)
    }
    // A new attempt at each run_started; the progress events before the first belong to the first.
    const current = out[out.length - 1];
    if (!current || (event.type === 'run_started' && current.some((e) => e.type === 'run_started'))) out.push([]);
    out[out.length - 1]!.push(event);
  }
  return out;
}

/** The latest `last` checkpoint of an attempt, or null. */
export function lastCheckpoint(events: FileEvent[]): { epoch: number; global_step: number } | null {
  const found = events.filter((e) => e.type === 'checkpoint' && e.kind === 'last').pop();
  return found ? { epoch: found.epoch as number, global_step: found.global_step as number } : null;
}

/**
 * Nothing lost beyond the bound: the attempt after the fault starts exactly at the fault attempt's
 * last checkpoint (or, after a graceful stop, where it stopped), and the fault lost at most one
 * epoch of steps (the checkpoint interval). Returns how many logged steps the resume trains again.
 */
export function expectLossWithinBound(runDir: string, faultAttempt: number, graceful = false): number {
  const all = attempts(runDir);
  const hit = all[faultAttempt]!;
  const next = all[faultAttempt + 1]!;
  expect(next, 'an attempt after the fault').toBeDefined();
  const started = next.find((e) => e.type === 'run_started')!;
  expect(started).toMatchObject({ type: 'run_started', resumed: true });
  const checkpoint = lastCheckpoint(hit);
  expect(checkpoint, 'a checkpoint before the fault').not.toBeNull();
  const stoppedAt = hit.find((e) => e.type === 'stopped')?.global_step as number | undefined;
  const resumedAt = started.start_global_step as number;
  if (graceful) {
    // A graceful stop saves where it is: nothing is lost.
    expect(stoppedAt).toEqual(expect.any(Number));
    expect(resumedAt).toBe(stoppedAt);
  } else {
    expect(resumedAt).toBe(checkpoint!.global_step);
    expect(started.start_epoch).toBe(checkpoint!.epoch + 1);
  }
  const steps = hit.filter((e) => e.type === 'step').map((e) => e.global_step as number);
  const lost = Math.max(resumedAt, ...steps) - resumedAt;
  expect(lost).toBeLessThanOrEqual(started.steps_per_epoch as number);
  return lost;
}

/** runs.get as the app answers it (from the live run when the service follows it, else the folder). */
export async function detailOf(h: RunsHarness, id: string): Promise<RunDetail> {
  const folder = new RunFolder(h.paths.runsDir, id);
  const { record, state } = await readRun(folder);
  return runDetail(folder, record, state, h.service.liveRun(id), 1_000_000, new Date());
}

/** A renderer store without animation frames (Node): coalesced updates flush on flushNow. */
function nodeStore(): RunLiveStore {
  return new RunLiveStore({ now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined });
}

/**
 * A dashboard left open: loads runs.get now and then takes every `run.event` the harness publishes
 * (subscribed first, so nothing falls between the snapshot and the stream).
 */
export async function openDashboard(h: RunsHarness, id: string): Promise<{ store: RunLiveStore; catchUp(): void }> {
  const since = h.events.get(id)?.length ?? 0;
  const store = nodeStore();
  store.load(await detailOf(h, id));
  let fed = since;
  return {
    store,
    catchUp() {
      const events = h.events.get(id) ?? [];
      for (const { index, event } of events.slice(fed)) {
        expect(store.applyEvent(index, event), `event ${index}`).not.toBe('gap');
      }
      fed = events.length;
      store.flushNow();
    },
  };
}

function xs(series: { length: number; at(i: number): { x: number } }): number[] {
  return Array.from({ length: series.length }, (_, i) => series.at(i).x);
}

/** Strictly increasing: no point twice, none out of order. */
function expectStrictlyIncreasing(values: number[], what: string): void {
  for (let i = 1; i < values.length; i++) {
    expect(values[i]!, `${what}: ${values[i - 1]} then ${values[i]}`).toBeGreaterThan(values[i - 1]!);
  }
}

/**
 * Nothing doubled: runs.get (a reload) has each step and epoch once, the epochs are 1..N, and the
 * dashboard that stayed open through the fault and the resume shows exactly what a reload shows.
 */
export async function expectNothingDoubled(
  h: RunsHarness,
  id: string,
  dashboard: { store: RunLiveStore; catchUp(): void },
) {
  const detail = await detailOf(h, id);
  const steps = detail.steps.map((p) => p.globalStep);
  expectStrictlyIncreasing(steps, 'runs.get steps');
  expect(detail.epochs.map((e) => e.epoch)).toEqual(detail.epochs.map((_, i) => i + 1));
  expect(detail.epochs.length).toBe(detail.summary.epochsDone);

  dashboard.catchUp();
  const { charts } = dashboard.store;
  const live = xs(charts.stepLoss);
  expectStrictlyIncreasing(live, 'live step series');
  expect(live).toEqual(steps);
  expect(xs(charts.stepLr)).toEqual(steps);
  expect(xs(charts.epochTrainLoss)).toEqual(detail.epochs.map((e) => e.epoch));
  expect(dashboard.store.getView().epochs.map((e) => e.epoch)).toEqual(detail.epochs.map((e) => e.epoch));
  return detail;
}

/**
 * The engine client with a smaller memory limit on training containers than the app's 3/4 of the RAM
 * (test-only: it replaces `Memory` after the spec is built). Everything else passes through.
 */
export function withTrainMemoryLimit(docker: Dockerode, bytes: number): Dockerode {
  return new Proxy(docker, {
    get(target, prop) {
      if (prop === 'createContainer') {
        return (spec: Dockerode.ContainerCreateOptions) =>
          target.createContainer(
            spec.Labels?.[LABELS.role] === 'train'
              ? { ...spec, HostConfig: { ...spec.HostConfig, Memory: bytes, MemorySwap: bytes } }
              : spec,
          );
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Makes the kernel's OOM killer end the trainer: a process in the container's memory cgroup takes
 * memory until the limit is reached, with the trainer marked as the one to kill (oom_score_adj 1000,
 * which any process may raise for its own user). Returns once the container is gone.
 */
export async function exhaustContainerMemory(containerId: string): Promise<void> {
  const script =
    // this shell is skipped: its own command line names the trainer, and the allocator inherits its score
    'for p in /proc/[0-9]*; do [ "${p#/proc/}" = $$ ] && continue; ' +
    'tr "\\0" " " < $p/cmdline 2>/dev/null | grep -q "deit_trainer train" && echo 1000 > $p/oom_score_adj; done; ' +
    'exec python -c "a = []\nwhile True: a.append(bytes([1]) * (32 << 20))"';
  const exec = spawn('docker', ['exec', containerId, 'sh', '-c', script], { stdio: 'ignore', timeout: 120_000 });
  await new Promise((resolve) => exec.once('close', resolve));
}

/** A container of the run, by its labels (any state). */
export async function trainContainer(h: RunsHarness, id: string): Promise<Dockerode.ContainerInfo | undefined> {
  const list = await h.containers(id);
  return list.find((c) => c.Labels[LABELS.role] === 'train');
}
