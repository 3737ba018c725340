import type { RunStatus, RunSummary } from '../contract';
import type { EventBus } from '../core/event-bus';

/** A desktop notification's text. */
export interface Notice {
  title: string;
  body: string;
}

const ENDED: ReadonlySet<RunStatus> = new Set<RunStatus>(['finished', 'failed', 'stopped']);

function percent(value: number | null): string {
  return value === null ? '' : ` Best validation accuracy: ${(value * 100).toFixed(1)} %.`;
}

/**
 * The notice for a run update, or null. Only a transition from a status we saw earlier into an ended
 * one counts, so runs that were already over when the app started (or repeated updates) stay quiet.
 */
export function runEndNotice(previous: RunStatus | undefined, run: RunSummary): Notice | null {
  if (previous === undefined || ENDED.has(previous) || !ENDED.has(run.status)) return null;
  if (run.status === 'finished') {
    return {
      title: `Training finished: ${run.name}`,
      body: `${run.epochsDone} epochs done.${percent(run.bestValTop1)}`,
    };
  }
  if (run.status === 'failed') {
    return { title: `Training failed: ${run.name}`, body: run.failure?.message ?? 'Open the run to see why.' };
  }
  return { title: `Training stopped: ${run.name}`, body: `Stopped after ${run.epochsDone} of ${run.epochs} epochs.` };
}

/** What showing a notice needs from the desktop. */
export interface NoticeSink {
  /** True when one of our windows has focus: the user sees the change already. */
  appFocused(): boolean;
  show(notice: Notice): void;
}

/**
 * Watches 'run.updated' and shows a notice when a run ends while the app is in the background.
 * Returns the unsubscribe function.
 */
export function watchRunEnds(bus: EventBus, sink: NoticeSink): () => void {
  const lastStatus = new Map<string, RunStatus>();
  return bus.on('run.updated', (run) => {
    const notice = runEndNotice(lastStatus.get(run.id), run);
    lastStatus.set(run.id, run.status);
    if (notice && !sink.appFocused()) sink.show(notice);
  });
}
