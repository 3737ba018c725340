import { useEffect, useEffectEvent, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { AppErrorShape } from '@contract';
import { ErrorNotice } from '../components/ErrorNotice';

/** What a confirmation asks and what its buttons say. */
export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Shown on the confirm button while the action runs. */
  busyLabel?: string;
  cancelLabel?: string;
  /** A destructive action (delete) gets a red confirm button and focus starts on Cancel. */
  destructive?: boolean;
  busy?: boolean;
  error?: AppErrorShape | null;
  onConfirm: () => void;
  onCancel: () => void;
}

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * A modal question before an action that cannot be undone or interrupts training. Focus moves into
 * it (to Cancel: the safe choice), Tab cycles inside it, Escape cancels, and focus returns where it was.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { title, children, confirmLabel, busyLabel, cancelLabel = 'Cancel', destructive, busy, error } = props;
  const { onConfirm, onCancel } = props;
  const titleId = useId();
  const bodyId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    cancel.current?.focus();
    return () => {
      // The button that opened it may be gone (a deleted run's row): then focus the page's main area.
      if (previous?.isConnected) previous.focus();
      else document.getElementById('main')?.focus();
    };
  }, []);

  // The buttons are disabled while the action runs, which drops the focus to the page behind: when it
  // ends (an error to read, a retry), focus comes back into the dialog, on the safe choice.
  useEffect(() => {
    if (!busy && dialog.current && !dialog.current.contains(document.activeElement)) cancel.current?.focus();
  }, [busy]);

  // Escape cancels wherever the focus is (a click on the backdrop moves it out of the dialog).
  const cancelNow = useEffectEvent(() => {
    if (!busy) onCancel();
  });
  useEffect(() => {
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      cancelNow();
    };
    document.addEventListener('keydown', onEscape);
    return () => document.removeEventListener('keydown', onEscape);
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'Tab' || !dialog.current) return;
    const items = Array.from(dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="run-dialog-backdrop">
      <div
        ref={dialog}
        className="run-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{title}</h2>
        <div id={bodyId}>{children}</div>
        {error && <ErrorNotice error={error} />}
        <div className="run-dialog-actions">
          <button ref={cancel} type="button" onClick={onCancel} disabled={busy}>
            {cancelLabel}
          </button>
          <button type="button" className={destructive ? 'run-danger' : 'primary'} onClick={onConfirm} disabled={busy}>
            {busy ? (busyLabel ?? confirmLabel) : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
