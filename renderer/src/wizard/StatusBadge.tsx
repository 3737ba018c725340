/** The look of a status: an icon and a word, so colour is never the only signal. */
export type BadgeTone = 'ok' | 'warning' | 'blocking' | 'skipped' | 'busy' | 'info';

const ICON: Record<BadgeTone, string> = {
  ok: '✓',
  warning: '!',
  blocking: '✕',
  skipped: '–',
  busy: '…',
  info: 'i',
};

const WORD: Record<BadgeTone, string> = {
  ok: 'OK',
  warning: 'Warning',
  blocking: 'Blocking',
  skipped: 'Skipped',
  busy: 'Working',
  info: 'Note',
};

/** A small status label with icon and text, e.g. "✓ OK" or "✕ Blocking". */
export function StatusBadge({ tone, label }: { tone: BadgeTone; label?: string }) {
  return (
    <span className={`status-badge status-${tone}`}>
      <span className="status-icon" aria-hidden="true">
        {ICON[tone]}
      </span>
      {label ?? WORD[tone]}
    </span>
  );
}
