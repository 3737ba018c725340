import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { api } from '../api/api';
import { useConnection } from '../api/connection';
import { connectRunFeed, type RunFeed } from './run-feed';
import { RunLiveStore, type RunView } from './run-live-store';

/** A run's live state for the dashboard. */
export interface RunLive {
  view: RunView;
  /** The store itself: charts read their series from it. */
  store: RunLiveStore;
  /** Reads the snapshot again (the "Try again" of an error). */
  reload: () => void;
}

/**
 * Loads one run and follows it live while mounted. The caller keys the component by run id, so a
 * store belongs to exactly one run.
 */
export function useRunLive(runId: string): RunLive {
  const [store] = useState(() => new RunLiveStore());
  const feed = useRef<RunFeed | null>(null);
  useEffect(() => {
    const connected = connectRunFeed(api(), runId, store);
    feed.current = connected;
    return () => connected.close();
  }, [runId, store]);
  // Back after a lost connection (the server may have restarted): events may be missing, read it again.
  const { recoveries } = useConnection();
  const seen = useRef(recoveries);
  useEffect(() => {
    if (seen.current === recoveries) return;
    seen.current = recoveries;
    feed.current?.reload();
  }, [recoveries]);
  const view = useSyncExternalStore(store.subscribe, store.getView, store.getView);
  const reload = useCallback(() => feed.current?.reload(), []);
  return { view, store, reload };
}
