import { useEffect, useState } from 'react';
import type { AppErrorShape, RunEstimate, RunSettings } from '@contract';
import { api } from '../../api/api';

/** The run estimate for settings as they are now, asked for once typing pauses. */
export interface EstimateState {
  estimate: RunEstimate | null;
  error: AppErrorShape | null;
  /** True while the settings changed and no answer for them has come yet. */
  pending: boolean;
}

const DEBOUNCE_MS = 500;

/** Asks runs.estimate for valid settings, debounced; null settings ask nothing. */
export function useRunEstimate(settings: RunSettings | null): EstimateState {
  const key = settings ? JSON.stringify(settings) : null;
  const [answer, setAnswer] = useState<{ key: string; estimate: RunEstimate | null; error: AppErrorShape | null }>();
  // Bumped when the core asks to be asked again (the processor was busy while timed): a fresh estimate.
  const [round, setRound] = useState(0);
  const askAgainInS = answer?.key === key ? answer.estimate?.askAgainInS : undefined;

  useEffect(() => {
    if (askAgainInS === undefined) return;
    const timer = setTimeout(() => setRound((r) => r + 1), askAgainInS * 1000);
    return () => clearTimeout(timer);
  }, [askAgainInS, answer]);

  useEffect(() => {
    if (key === null) return;
    let live = true;
    const timer = setTimeout(() => {
      void api()
        .call('runs.estimate', { settings: JSON.parse(key) as RunSettings })
        .then((result) => {
          if (!live) return;
          setAnswer(
            result.ok ? { key, estimate: result.value, error: null } : { key, estimate: null, error: result.error },
          );
        });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, round]);

  if (key === null) return { estimate: null, error: null, pending: false };
  // Keep showing the last estimate while a new one is on its way: less flicker while typing.
  return { estimate: answer?.estimate ?? null, error: answer?.error ?? null, pending: answer?.key !== key };
}
