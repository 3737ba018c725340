import { useEffect, useState } from 'react';
import type { AppErrorShape, DatasetScan, EventPayload, SimilarImages } from '@contract';
import { api } from '../../api/api';
import { useEvent } from '../../api/hooks';
import { registerFolder } from './thumbnail-cache';

/** The near-duplicate check of the scanned folder: running (with progress), its result, or its error. */
export interface SimilarCheck {
  result: SimilarImages | null;
  error: AppErrorShape | null;
  progress: EventPayload<'dataset.similarProgress'> | null;
  running: boolean;
}

/**
 * Runs dataset.similar once for each finished scan (not while a scan runs: it would compare the folder
 * as it was). A scan kept from before the core restarted is registered again first (the core checks
 * only folders it scanned). A newer scan makes the core cancel the old check; its answer is ignored.
 */
export function useSimilarImages(scan: DatasetScan | null, scanning: boolean): SimilarCheck {
  const root = scan?.root ?? null;
  // One check per scan: a re-split keeps root, duration and count, so it does not check again.
  const key = scan && !scanning ? `${scan.root}\u0000${scan.durationMs}\u0000${scan.totalImages}` : null;
  const [done, setDone] = useState<{ key: string; result?: SimilarImages; error?: AppErrorShape } | null>(null);
  // Progress of the check for `key` (events of an earlier check of the same folder do not count).
  const [progress, setProgress] = useState<{ key: string; event: SimilarCheck['progress'] } | null>(null);

  useEffect(() => {
    if (key === null || root === null) return;
    let live = true;
    void (async () => {
      let answer = await api().call('dataset.similar', { path: root });
      if (!answer.ok && answer.error.detail === 'not_scanned' && (await registerFolder(root))) {
        answer = await api().call('dataset.similar', { path: root });
      }
      if (!live) return;
      if (answer.ok) setDone({ key, result: answer.value });
      else if (answer.error.kind !== 'cancelled') setDone({ key, error: answer.error });
    })();
    return () => {
      live = false;
    };
  }, [key, root]);

  useEvent('dataset.similarProgress', (event) => {
    if (event.root === root && key !== null) setProgress({ key, event });
  });

  const current = done !== null && done.key === key ? done : null;
  return {
    result: current?.result ?? null,
    error: current?.error ?? null,
    progress: current || progress?.key !== key ? null : progress.event,
    running: key !== null && current === null,
  };
}
