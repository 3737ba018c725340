import { useEffect, useState } from 'react';
import type { RunSummary } from '@contract';
import { api } from '../api/api';
import { isActive } from '../runs/run-labels';
import { parseRoute } from './router';

/** The run a returning user most likely wants to watch: one training now, else one about to. */
export function liveRun(runs: RunSummary[]): RunSummary | undefined {
  const order: RunSummary['status'][] = ['running', 'preparing', 'stopping', 'queued'];
  for (const status of order) {
    const run = runs.find((r) => r.status === status); // runs.list is newest first
    if (run) return run;
  }
  return runs.find((r) => isActive(r.status));
}

/**
 * Opening the app at its bare address (no page asked for) while a run trains lands on that run's
 * dashboard instead of the first wizard step; `deciding` while the runs list is read (a moment).
 * Any other address is left alone, and so is a failed list (the wizard then starts as usual).
 */
export function useLanding(): 'deciding' | 'done' {
  const [state, setState] = useState<'deciding' | 'done'>(() =>
    parseRoute(window.location.hash).length === 0 ? 'deciding' : 'done',
  );
  useEffect(() => {
    if (state === 'done') return;
    let current = true;
    void api()
      .call('runs.list', {})
      .then((result) => {
        if (!current) return;
        const run = result.ok ? liveRun(result.value) : undefined;
        // Replace, not push: Back should not lead to a page the user never saw.
        if (run && parseRoute(window.location.hash).length === 0) {
          window.location.replace(`#/runs/${encodeURIComponent(run.id)}`);
        }
        setState('done');
      });
    return () => {
      current = false;
    };
  }, [state]);
  return state;
}
