import type { RunFailure, RunStatus } from '@contract';
import type { StatusBadgeProps, Tone } from '../components/StatusBadge';

/** How each status reads, with an icon so colour is never the only cue. */
export const STATUS_LABELS: Record<RunStatus, { label: string; icon: string; tone: Tone }> = {
  // Glyphs from the basic shape blocks, which every UI font has (⏸/⏹ are missing from many).
  queued: { label: 'Queued', icon: '○', tone: 'neutral' },
  preparing: { label: 'Preparing', icon: '◐', tone: 'busy' },
  running: { label: 'Training', icon: '▶', tone: 'busy' },
  stopping: { label: 'Stopping…', icon: '■', tone: 'warn' },
  stopped: { label: 'Stopped', icon: '‖', tone: 'warn' },
  finished: { label: 'Finished', icon: '✓', tone: 'ok' },
  failed: { label: 'Failed', icon: '✕', tone: 'error' },
};

/** A run's status badge (`.run-status` marks it for the end-to-end tests): icon and word, e.g. "▶ Training". */
export function runStatusBadge(status: RunStatus): StatusBadgeProps {
  return { ...STATUS_LABELS[status], className: 'run-status' };
}

/** Statuses in which a run's container may be working: it cannot be deleted then. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'preparing', 'running', 'stopping'];

/** True while the run may be using the GPU. */
export function isActive(status: RunStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** A failure cause in the user's words. */
export const FAILURE_CAUSES: Record<RunFailure['cause'], string> = {
  out_of_memory: 'The GPU ran out of memory',
  killed_for_memory: 'The computer ran out of memory (RAM)',
  dataset_invalid: 'The dataset cannot be used',
  weights_missing: 'The pretrained weights are missing',
  gpu_toolkit_missing: 'Docker cannot use the GPU',
  docker_gone: 'Docker was not answering',
  killed: 'The training was stopped from outside DeiT Studio',
  config_invalid: 'The training settings are invalid',
  crashed: 'The training program crashed',
};

const SIZES: Record<string, string> = { tiny: 'Tiny', small: 'Small', base: 'Base' };

/** A model id's name in words: deit_small_distilled_patch16_224 → "DeiT-Small distilled". */
export function modelName(modelId: string): string {
  const match = /^deit(3)?_(tiny|small|base)(_distilled)?_patch\d+_\d+$/.exec(modelId);
  if (!match) return modelId;
  const [, three, size, distilled] = match;
  return `DeiT${three ? ' III' : ''}-${SIZES[size!]}${distilled ? ' distilled' : ''}`;
}

/**
 * A model id in words with its image size: "DeiT-Small distilled, 224 px". `imgSize`, when given, is
 * the size the run trains at (the id names the size the weights were made for).
 */
export function modelLabel(modelId: string, imgSize?: number): string {
  const px = imgSize ?? /_(\d+)$/.exec(modelId)?.[1];
  const name = modelName(modelId);
  return name === modelId || px === undefined ? name : `${name}, ${px} px`;
}

/** How long a run has trained: its recorded duration, else the time since it started. */
export function runDurationS(run: {
  durationS: number | null;
  startedAt: string | null;
  endedAt: string | null;
}): number | null {
  if (run.durationS !== null) return run.durationS;
  if (!run.startedAt) return null;
  const start = Date.parse(run.startedAt);
  const end = run.endedAt ? Date.parse(run.endedAt) : Date.now();
  return Number.isNaN(start) || Number.isNaN(end) ? null : Math.max(0, (end - start) / 1000);
}
