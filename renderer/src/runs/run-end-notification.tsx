import { useEffect, useRef, useState } from 'react';
import type { RunStatus, RunSummary } from '@contract';
import { isDesktop } from '../api/api';
import { FAILURE_CAUSES, STATUS_LABELS, isActive } from './run-labels';

/** Browser notifications exist here, and the desktop app is not the one notifying. */
function canNotifyInBrowser(): boolean {
  return !isDesktop() && typeof Notification !== 'undefined';
}

/**
 * Serve mode: a browser notification when the run ends, if the user allowed notifications.
 * (The desktop app notifies from the Electron shell, so nothing happens there.)
 */
export function useRunEndNotification(summary: RunSummary | null): void {
  const previous = useRef<RunStatus | null>(null);
  const status = summary?.status ?? null;
  useEffect(() => {
    const before = previous.current;
    previous.current = status;
    if (!summary || !before || !isActive(before) || isActive(summary.status)) return;
    if (!canNotifyInBrowser() || Notification.permission !== 'granted') return;
    const body = summary.failure ? FAILURE_CAUSES[summary.failure.cause] : `${summary.epochsDone} epochs done.`;
    new Notification(`${summary.name}: ${STATUS_LABELS[summary.status].label}`, { body });
    // Only a change of status matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status]);
}

/** "Notify me when it ends" for the browser (serve mode), while the run is going and permission is not decided. */
export function NotifyWhenDoneButton({ active }: { active: boolean }) {
  const [permission, setPermission] = useState(() => (canNotifyInBrowser() ? Notification.permission : 'denied'));
  if (!active || permission !== 'default') return null;
  return (
    <button
      type="button"
      onClick={() => void Notification.requestPermission().then((p) => setPermission(p))}
      title="Your browser asks whether DeiT Studio may show notifications"
    >
      Notify me when it ends
    </button>
  );
}
