import { memo } from 'react';
import type { RunWarning } from './run-live-store';

/**
 * What the trainer warned about (the run goes on): each with its icon and plain message. The title holds
 * for a run still training and for a finished one ("training goes on" read wrong under "Finished").
 */
export const RunWarnings = memo(function RunWarnings({ warnings }: { warnings: readonly RunWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <section className="notice notice-warning run-warnings" aria-labelledby="run-warnings-title">
      <h2 id="run-warnings-title" className="notice-title">
        <span aria-hidden="true">⚠ </span>
        {warnings.length === 1
          ? '1 warning (not an error: it does not stop training)'
          : `${warnings.length} warnings (not errors: they do not stop training)`}
      </h2>
      <ul>
        {warnings.map((w) => (
          <li key={`${w.code}:${w.message}`}>
            {w.message} <span className="muted">({w.code})</span>
          </li>
        ))}
      </ul>
    </section>
  );
});
