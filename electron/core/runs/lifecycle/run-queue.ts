import type { RunSettings } from '../../../contract';

/** What a run holds while it runs: the CPU lane, or a set of GPUs (empty = all of them). */
export interface RunDevices {
  device: RunSettings['device'];
  gpuIds: readonly string[];
}

/** A run waiting for its devices, in the order it was queued. */
export interface QueuedRun {
  id: string;
  devices: RunDevices;
}

/**
 * True when two runs cannot run at the same time: CPU runs take turns with each other; GPU runs
 * share no GPU (a run on "all GPUs" shares with every GPU run). CPU and GPU runs do not conflict.
 */
export function devicesOverlap(a: RunDevices, b: RunDevices): boolean {
  if (a.device !== b.device) return false;
  if (a.device === 'cpu') return true;
  if (a.gpuIds.length === 0 || b.gpuIds.length === 0) return true;
  return a.gpuIds.some((id) => b.gpuIds.includes(id));
}

/**
 * The queued runs that can start now, in queue order: a run starts when its devices are free of
 * active runs and of every run queued before it that is still waiting (first come, first served).
 */
export function runsToStart(active: readonly RunDevices[], queue: readonly QueuedRun[]): string[] {
  const busy: RunDevices[] = [...active];
  const start: string[] = [];
  for (const run of queue) {
    if (!busy.some((held) => devicesOverlap(held, run.devices))) start.push(run.id);
    // Started or still waiting, it holds its devices against the runs queued after it.
    busy.push(run.devices);
  }
  return start;
}
