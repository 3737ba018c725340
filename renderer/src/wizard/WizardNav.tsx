import { useId } from 'react';
import { navigate } from '../app/router';

/** The Back/Next bar under each step; says what to do next, or why Next is not possible yet. */
export function WizardNav({
  back,
  next,
  nextLabel = 'Next',
  canGoNext,
  hint,
}: {
  /** Route of the previous step, if any. */
  back?: { to: string; label: string };
  /** Route of the next step, if any. */
  next?: string;
  nextLabel?: string;
  canGoNext: boolean;
  /** What the user should do now (shown beside the buttons and read with Next). */
  hint: string;
}) {
  const hintId = useId();
  return (
    <div className="wizard-nav" role="group" aria-label="Step navigation">
      {back ? (
        <button type="button" onClick={() => navigate(back.to)}>
          <span aria-hidden="true">← </span>Back: {back.label}
        </button>
      ) : (
        <span />
      )}
      <p id={hintId} className="wizard-nav-hint">
        {hint}
      </p>
      {next && (
        // aria-disabled (not disabled) keeps the button focusable, so keyboard and screen-reader
        // users still reach it and hear why it cannot be used yet.
        <button
          type="button"
          className="primary"
          aria-disabled={canGoNext ? undefined : 'true'}
          aria-describedby={hintId}
          onClick={() => {
            if (canGoNext) navigate(next);
          }}
        >
          {nextLabel}
          <span aria-hidden="true"> →</span>
        </button>
      )}
    </div>
  );
}
