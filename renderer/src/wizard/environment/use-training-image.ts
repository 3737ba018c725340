import { useCallback, useEffect, useState } from 'react';
import type { AppErrorShape, ImageProgress, ImageStatus, Result } from '@contract';
import { api } from '../../api/api';
import { useConnection } from '../../api/connection';
import { useEvent } from '../../api/hooks';

/** The training image as the environment step sees it, with the actions a user can take. */
export interface TrainingImage {
  status: ImageStatus | null;
  /** The latest progress event of a pull or build; null before the first one. */
  progress: ImageProgress | null;
  /** A call that failed (status, ensure or cancel); the image's own failure is `status.error`. */
  error: AppErrorShape | null;
  /** Which call is in flight. */
  pending: 'status' | 'ensure' | 'cancel' | 'load' | 'use' | null;
  refresh: () => void;
  ensure: (consent: boolean) => void;
  cancel: () => void;
  /** Loads the base image from a `docker save` archive (a path on the machine running the core). */
  loadArchive: (path: string) => void;
  /** Uses an image already on the engine as the base; null goes back to the default. */
  useBase: (image: string | null) => void;
}

const FINISHED = new Set<ImageProgress['phase']>(['done', 'error', 'cancelled']);

/** Loads the image status, follows image.progress, and starts or cancels getting the image. */
export function useTrainingImage(): TrainingImage {
  const [status, setStatus] = useState<ImageStatus | null>(null);
  const [progress, setProgress] = useState<ImageProgress | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [pending, setPending] = useState<TrainingImage['pending']>('status');
  // Asked again after the connection to the core came back: an error from while it was away is stale.
  const { recoveries } = useConnection();

  const apply = useCallback((kind: NonNullable<TrainingImage['pending']>, result: Result<ImageStatus>) => {
    setPending((current) => (current === kind ? null : current));
    if (result.ok) {
      setStatus(result.value);
      setError(null);
      // Opened while a download runs: show where it is now rather than "Starting…".
      const { progress } = result.value;
      if (progress) setProgress((current) => current ?? progress);
    } else {
      setError(result.error);
    }
  }, []);

  const run = useCallback(
    (kind: NonNullable<TrainingImage['pending']>, consent = false, argument: string | null = null) => {
      const call =
        kind === 'status'
          ? api().call('image.status', {})
          : kind === 'ensure'
            ? api().call('image.ensure', { consent })
            : kind === 'load'
              ? api().call('image.loadArchive', { path: argument ?? '' })
              : kind === 'use'
                ? api().call('image.useBase', { image: argument })
                : api().call('image.cancel', {});
      void call.then((result) => apply(kind, result));
    },
    [apply],
  );

  useEffect(() => {
    let live = true;
    void api()
      .call('image.status', {})
      .then((result) => {
        if (live) apply('status', result);
      });
    return () => {
      live = false;
    };
  }, [apply, recoveries]);

  useEvent('image.progress', (event) => {
    setProgress(event);
    // The final word on the image is its status: ask for it once the pull or build ends.
    if (FINISHED.has(event.phase)) {
      setPending('status');
      run('status');
    }
  });

  return {
    status,
    progress,
    error,
    pending,
    refresh: () => {
      setPending('status');
      run('status');
    },
    ensure: (consent) => {
      setPending('ensure');
      setProgress(null);
      run('ensure', consent);
    },
    cancel: () => {
      setPending('cancel');
      run('cancel');
    },
    loadArchive: (path) => {
      setPending('load');
      setProgress(null);
      run('load', false, path);
    },
    useBase: (image) => {
      setPending('use');
      run('use', false, image);
    },
  };
}
