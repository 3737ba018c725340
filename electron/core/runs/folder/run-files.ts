import { z } from 'zod';
import { RunFailure, RunSettings, RunStatus, StopCause } from '../../../contract';

/** `run.json`: what the run is (written at creation; the image is added when it first starts). */
export const RunRecordFile = z.object({
  version: z.literal(1),
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  settings: RunSettings,
  image: z.object({ tag: z.string(), digest: z.string().nullable() }).nullable(),
  /** The Docker engine the run runs on (docs/engine-remote.md); absent: this computer (runs from before engines). */
  engine: z.object({ id: z.string(), kind: z.enum(['local', 'ssh']), label: z.string() }).optional(),
});
export type RunRecordFile = z.infer<typeof RunRecordFile>;

/** `state.json`: where the run is in its lifecycle (rewritten atomically on every change). */
export const RunStateFile = z.object({
  version: z.literal(1),
  status: RunStatus,
  containerId: z.string().nullable(),
  /** When the first attempt started; null while queued. */
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  oomKilled: z.boolean().nullable(),
  failure: RunFailure.nullable(),
  /** Containers started for this run (1 + resumes). */
  attempts: z.number().int(),
  /** The user asked to stop: a SIGKILL exit is then "stopped", not "killed". */
  stopRequested: z.boolean(),
  /** Who stopped a `stopped` run (the user, or Docker shutting down); absent in older state files. */
  stopCause: StopCause.optional(),
  resumable: z.boolean(),
  /** The next start continues from checkpoints/last.pt. */
  resumeNext: z.boolean(),
  /** Seconds spent in containers by earlier attempts (the current one counts from `attemptStartedAt`). */
  activeSeconds: z.number(),
  attemptStartedAt: z.string().nullable(),
  /** A cache of the metrics for fast listing; metrics.jsonl stays the truth. */
  epochsDone: z.number().int(),
  bestValTop1: z.number().nullable(),
});
export type RunStateFile = z.infer<typeof RunStateFile>;

/** The state of a run that was just created. */
export function initialRunState(): RunStateFile {
  return {
    version: 1,
    status: 'queued',
    containerId: null,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    oomKilled: null,
    failure: null,
    attempts: 0,
    stopRequested: false,
    resumable: false,
    resumeNext: false,
    activeSeconds: 0,
    attemptStartedAt: null,
    epochsDone: 0,
    bestValTop1: null,
  };
}
