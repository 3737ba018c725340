import { compareHref } from './compare-href';

/**
 * A run's header links: "Start a new run from these settings" (the wizard, pre-filled), and for a run
 * that was itself started so, "Compare with the run it came from".
 */
export function RerunLinks({ runId, fromRunId }: { runId: string; fromRunId?: string }) {
  return (
    <>
      <a href={`#/new/from/${encodeURIComponent(runId)}`}>Start a new run from these settings</a>
      {fromRunId && <a href={compareHref([fromRunId, runId])}>Compare with the run it came from</a>}
    </>
  );
}
