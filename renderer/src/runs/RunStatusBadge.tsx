import type { RunStatus } from '../../../electron/contract';
import { STATUS_LABELS } from './run-labels';

/** A run's status as an icon and a word (colour only repeats what they say). */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { label, icon, tone } = STATUS_LABELS[status];
  return (
    <span className={`run-status run-status-${tone}`}>
      <span aria-hidden="true" className="run-status-icon">
        {icon}
      </span>
      {label}
    </span>
  );
}
