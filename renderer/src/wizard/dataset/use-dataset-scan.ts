import { useCallback, useRef, useState } from 'react';
import type { AppErrorShape, EventPayload } from '@contract';
import { api } from '../../api/api';
import { useEvent } from '../../api/hooks';
import { useWizard } from '../wizard-state';

/** A scan progress event. */
export type ScanProgress = EventPayload<'dataset.progress'>;

/** The folder scan as the dataset step drives it; the result itself lives in the wizard state. */
export interface DatasetScanner {
  /** The folder being scanned now, if any. */
  scanning: { path: string; valRatio: number } | null;
  progress: ScanProgress | null;
  error: AppErrorShape | null;
  /** True after the user stopped a scan (not an error). */
  stopped: boolean;
  /** Scans a folder (a newer call wins over an older one still running). */
  scan: (path: string, valRatio: number) => void;
  /** Stops the running scan; the previous result, if any, stays. */
  cancel: () => void;
}

/** Runs dataset.scan, follows dataset.progress, and stores the result as the wizard's dataset. */
export function useDatasetScanner(): DatasetScanner {
  const { update } = useWizard();
  const [scanning, setScanning] = useState<DatasetScanner['scanning']>(null);
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [stopped, setStopped] = useState(false);
  const latest = useRef(0);

  const scan = useCallback(
    (path: string, valRatio: number) => {
      const id = ++latest.current;
      setScanning({ path, valRatio });
      setProgress(null);
      setError(null);
      setStopped(false);
      // Another folder: the old result must not stay the chosen dataset while this one is scanned.
      update((current) => (current.scan?.root === path ? {} : { scan: null, datasetPath: path }));
      void api()
        .call('dataset.scan', { path, valRatio })
        .then((result) => {
          if (id !== latest.current) return; // a newer scan replaced this one
          setScanning(null);
          if (result.ok) {
            update({ scan: result.value, datasetPath: result.value.root, valRatio });
          } else if (result.error.kind === 'cancelled') {
            setStopped(true);
            update((current) => (current.scan?.root === path ? {} : { scan: null, datasetPath: null }));
          } else {
            setError(result.error);
            // A failed re-split keeps the previous result; a failed new folder leaves nothing chosen.
            update((current) => (current.scan?.root === path ? {} : { scan: null, datasetPath: null }));
          }
        });
    },
    [update],
  );

  const cancel = useCallback(() => {
    if (scanning) void api().call('dataset.cancelScan', { path: scanning.path });
  }, [scanning]);

  useEvent('dataset.progress', (event) => {
    if (scanning) setProgress(event);
  });

  return { scanning, progress, error, stopped, scan, cancel };
}
