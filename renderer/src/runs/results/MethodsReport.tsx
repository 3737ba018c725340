import { createElement, useMemo } from 'react';
import { parseMarkdownLite, type Block, type Inline } from './markdown-lite';

function InlineText({ parts }: { parts: Inline[] }) {
  return (
    <>
      {parts.map((part, i) =>
        part.kind === 'code' ? (
          <code key={i}>{part.text}</code>
        ) : part.kind === 'strong' ? (
          <strong key={i}>{part.text}</strong>
        ) : part.kind === 'em' ? (
          <em key={i}>{part.text}</em>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

function ReportBlock({ block }: { block: Block }) {
  switch (block.kind) {
    case 'heading':
      // The report sits under this page's h2: its own headings start at h3.
      return createElement(`h${Math.min(6, block.level + 2)}`, null, <InlineText parts={block.text} />);
    case 'paragraph':
      return (
        <p>
          <InlineText parts={block.text} />
        </p>
      );
    case 'code':
      return (
        <pre>
          <code>{block.text}</code>
        </pre>
      );
    case 'list': {
      const items = block.items.map((item, i) => (
        <li key={i}>
          <InlineText parts={item} />
        </li>
      ));
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
    case 'table':
      return (
        <div className="run-table-scroll">
          <table className="run-table">
            <thead>
              <tr>
                {block.head.map((cell, i) => (
                  <th key={i} scope="col">
                    <InlineText parts={cell} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td key={i}>
                      <InlineText parts={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

/** The methods report (report.md) rendered as safe text: structure only, never HTML from the file. */
export function MethodsReport({ markdown }: { markdown: string }) {
  const blocks = useMemo(() => parseMarkdownLite(markdown), [markdown]);
  return (
    <section className="panel run-report" aria-labelledby="run-report-title">
      <h2 id="run-report-title">Methods report</h2>
      <p className="muted">
        How this model was trained (image, versions, seed, data split, recipe), for a paper or a lab notebook. It is the
        run folder’s report.md.
      </p>
      {blocks.length === 0 ? (
        <p>The report is empty.</p>
      ) : (
        blocks.map((block, i) => <ReportBlock key={i} block={block} />)
      )}
    </section>
  );
}
