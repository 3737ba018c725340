import styles from './StatusBadge.module.css';

/**
 * The one tone vocabulary of every status in the app (colour only repeats the icon and the word):
 * ok (done, fine), warn (needs a look), error (blocks or failed), info (a note), busy (working on it),
 * neutral (waiting, skipped).
 */
export type Tone = 'ok' | 'warn' | 'error' | 'info' | 'busy' | 'neutral';

const ICON: Record<Tone, string> = { ok: '✓', warn: '!', error: '✕', info: 'i', busy: '…', neutral: '–' };

const WORD: Record<Tone, string> = {
  ok: 'OK',
  warn: 'Warning',
  error: 'Error',
  info: 'Note',
  busy: 'Working',
  neutral: 'None',
};

export interface StatusBadgeProps {
  tone: Tone;
  /** The word; the tone's own word ("OK", "Warning", …) when left out. */
  label?: string;
  /** The icon; the tone's own icon when left out. */
  icon?: string;
  /** An extra class, e.g. `run-status` on a run's status. */
  className?: string;
}

/** A small status label with an icon and a word, e.g. "✓ OK" or "▶ Training". */
export function StatusBadge({ tone, label, icon, className }: StatusBadgeProps) {
  return (
    <span className={[styles.badge, styles[tone], className].filter(Boolean).join(' ')}>
      <span className={styles.icon} aria-hidden="true">
        {icon ?? ICON[tone]}
      </span>
      {label ?? WORD[tone]}
    </span>
  );
}
