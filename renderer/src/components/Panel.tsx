import type { ReactNode } from 'react';

export interface PanelProps {
  /** The heading's id: the section is labelled by it (`getByRole('region', { name })` finds it). */
  titleId: string;
  /** The `<h2>`'s content. */
  title: ReactNode;
  /** A line under the heading that says what the panel is for (muted). */
  description?: ReactNode;
  /** Extra classes beside `panel` (layout of this panel only). */
  className?: string;
  /** `aria-busy` while the panel's content is loading (never on a panel holding a live region). */
  busy?: boolean;
  children?: ReactNode;
}

/**
 * A titled section of a screen: the shared `.panel` box, labelled by its `<h2>`, with an optional
 * description. Usage:
 *
 *   <Panel titleId="run-exports-title" title="Exported model and files" description="…">…</Panel>
 */
export function Panel({ titleId, title, description, className, busy, children }: PanelProps) {
  return (
    <section className={className ? `panel ${className}` : 'panel'} aria-labelledby={titleId} aria-busy={busy}>
      <h2 id={titleId}>{title}</h2>
      {description !== undefined && <p className="muted">{description}</p>}
      {children}
    </section>
  );
}
