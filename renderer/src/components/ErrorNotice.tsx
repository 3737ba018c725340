import type { AppErrorShape } from '@contract';

/** A typed error as the user sees it: what happened, what to do, and the detail on request. */
export function ErrorNotice({ error, onRetry }: { error: AppErrorShape; onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{error.message}</p>
      {error.fix && <p>{error.fix}</p>}
      {error.detail && (
        <details>
          <summary>Details</summary>
          <pre>{error.detail}</pre>
        </details>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
