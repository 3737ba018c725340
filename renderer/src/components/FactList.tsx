import { Fragment, type ReactNode } from 'react';

/** One label/value pair; `title` shows on hover (e.g. a full path behind a short name). */
export interface Fact {
  label: string;
  value: ReactNode;
  title?: string;
}

export interface FactListProps {
  /** The pairs in order; `false`, `null` or `undefined` entries are left out (facts that only sometimes apply). */
  facts: ReadonlyArray<Fact | false | null | undefined>;
  /** The list's class, which sets its layout (`facts`, `run-header-facts`, …). */
  className?: string;
  /** An accessible name for the list when the surrounding heading does not give one. */
  label?: string;
  /** More `<dt>`/`<dd>` pairs after the facts (a component that renders its own). */
  children?: ReactNode;
}

/**
 * A `<dl>` of label/value pairs, as the wizard and the runs show facts about a machine, a dataset or
 * a run. Usage:
 *
 *   <FactList className="facts" label="This machine" facts={[{ label: 'System', value: os }, gpu && {…}]} />
 */
export function FactList({ facts, className, label, children }: FactListProps) {
  return (
    <dl className={className} aria-label={label}>
      {facts.map(
        (fact) =>
          fact && (
            <Fragment key={fact.label}>
              <dt>{fact.label}</dt>
              <dd title={fact.title}>{fact.value}</dd>
            </Fragment>
          ),
      )}
      {children}
    </dl>
  );
}
