import { createElement, type ReactNode } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

/** The report sits under this page's h2: its own headings start at h3. */
const heading =
  (level: number) =>
  ({ children }: { children?: ReactNode }) =>
    createElement(`h${Math.min(6, level + 2)}`, null, children);

/**
 * How the report's markdown becomes elements. react-markdown builds React elements (never innerHTML)
 * and turns raw HTML in the file into text; links and images become text too, with their address in
 * brackets: the report is shown, never navigated from, and loads nothing.
 */
const COMPONENTS: Components = {
  h1: heading(1),
  h2: heading(2),
  h3: heading(3),
  h4: heading(4),
  h5: heading(5),
  h6: heading(6),
  a: ({ children, href }) => (
    <>
      {children}
      {href ? ` (${href})` : null}
    </>
  ),
  img: ({ alt, src }) => <>{`${alt ?? 'image'}${typeof src === 'string' && src ? ` (${src})` : ''}`}</>,
  table: ({ children }) => (
    <div className="run-table-scroll">
      <table className="run-table">{children}</table>
    </div>
  ),
  th: ({ children, style }) => (
    <th scope="col" style={style}>
      {children}
    </th>
  ),
};

/** The methods report (report.md) rendered as safe text: structure only, never HTML from the file. */
export function MethodsReport({ markdown }: { markdown: string }) {
  return (
    <section className="panel run-report" aria-labelledby="run-report-title">
      <h2 id="run-report-title">Methods report</h2>
      <p className="muted">
        How this model was trained (image, versions, seed, data split, recipe), for a paper or a lab notebook. It is the
        run folder’s report.md.
      </p>
      {markdown.trim() === '' ? (
        <p>The report is empty.</p>
      ) : (
        <Markdown remarkPlugins={[remarkGfm]} components={COMPONENTS}>
          {markdown}
        </Markdown>
      )}
    </section>
  );
}
