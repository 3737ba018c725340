import { useState, type ReactNode } from 'react';
import { downloadFile } from './download';

/**
 * A download link for serve mode: a click (or Enter) trades the page's token for a one-time ticket
 * and lets the browser download `<href>?ticket=…` (api/download.ts). The plain address stays as the
 * link's target, so it reads as a link; opened without the page (a new tab) it needs the token and
 * answers 401.
 */
export function TicketLink({
  href,
  download,
  className,
  children,
}: {
  href: string;
  download: string;
  className?: string;
  children: ReactNode;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <a
        href={href}
        download={download}
        className={className}
        onClick={(event) => {
          event.preventDefault();
          setProblem(null);
          void downloadFile(href, download).then(setProblem);
        }}
      >
        {children}
      </a>
      {problem && (
        <span role="alert" className="muted">
          {' '}
          {problem}
        </span>
      )}
    </>
  );
}
