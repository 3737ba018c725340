import type { ReactNode } from 'react';

/**
 * A step's title. Focusable by script (not by Tab), so the app can move focus here when the step
 * changes and screen readers announce where the user is.
 */
export function StepHeading({ id, children }: { id: string; children: ReactNode }) {
  return (
    <h1 id={id} tabIndex={-1} className="step-heading">
      {children}
    </h1>
  );
}
