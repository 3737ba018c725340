import { useCallback, useMemo, useState } from 'react';
import type { AppErrorShape, RunSummary } from '@contract';
import { useCall, useEvent } from '../api/hooks';

/** The runs list kept current: the loaded list, overlaid with run.updated events and local deletions. */
export interface RunsListState {
  runs: RunSummary[] | undefined;
  error: AppErrorShape | undefined;
  reload: () => void;
  /** Removes a deleted run without reloading. */
  forget: (id: string) => void;
}

/** runs.list, then live: a run's update replaces its row, a new run appears at the top. */
export function useRunsList(): RunsListState {
  const list = useCall('runs.list', {});
  const [updates, setUpdates] = useState<ReadonlyMap<string, RunSummary>>(new Map());
  const [deleted, setDeleted] = useState<ReadonlySet<string>>(new Set());

  useEvent('run.updated', (summary) => {
    setUpdates((prev) => new Map(prev).set(summary.id, summary));
  });

  const runs = useMemo(() => {
    if (!list.data) return undefined;
    const known = new Set(list.data.map((r) => r.id));
    const added = [...updates.values()]
      .filter((r) => !known.has(r.id))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return [...added, ...list.data.map((r) => updates.get(r.id) ?? r)].filter((r) => !deleted.has(r.id));
  }, [list.data, updates, deleted]);

  const forget = useCallback((id: string) => setDeleted((prev) => new Set(prev).add(id)), []);
  return { runs, error: list.error, reload: list.reload, forget };
}
