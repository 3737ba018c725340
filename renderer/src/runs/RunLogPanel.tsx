import { memo, useDeferredValue, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AppErrorShape } from '@contract';
import { api } from '../api/api';
import { ErrorNotice } from '../components/ErrorNotice';
import { logSeverity, parseLogLine, splitMatches, type LogSeverity } from './log-lines';
import { formatCount } from '../components/format';
import { useAsyncAction } from '../components/use-async-action';
import { Panel } from '../components/Panel';

/** Lines drawn at once; the panel keeps more, and the whole log is searchable on request. */
const RENDER_LIMIT = 500;

interface NumberedLine {
  n: number;
  line: string;
}

const SEVERITY_MARK: Record<LogSeverity, string> = { error: '✕ error', warning: '⚠ warning', info: '' };

/**
 * The training log: searchable, warnings and errors marked, following the newest lines unless the
 * user scrolled up to read (then a button jumps back down).
 */
export const RunLogPanel = memo(function RunLogPanel({
  runId,
  lines,
  total,
  error,
}: {
  runId: string;
  lines: readonly string[];
  /** Lines in the whole log (more than `lines` for long runs). */
  total: number;
  error: AppErrorShape | null;
}) {
  const [query, setQuery] = useState('');
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [fullSearch, setFullSearch] = useState<{ query: string; lines: string[]; total: number } | null>(null);
  const search = useAsyncAction();
  const deferredQuery = useDeferredValue(query.trim());
  const searchId = useId();

  const wholeLog = fullSearch && fullSearch.query === deferredQuery ? fullSearch : null;
  const source = wholeLog ? wholeLog.lines : lines;
  // Line numbers in the whole log make stable keys: appending a line re-renders only that line.
  const firstNumber = wholeLog ? 0 : total - lines.length;
  const shown = useMemo(() => {
    const needle = deferredQuery.toLowerCase();
    const out: NumberedLine[] = [];
    for (let i = source.length - 1; i >= 0 && out.length < RENDER_LIMIT; i--) {
      const line = source[i]!;
      if (needle && !line.toLowerCase().includes(needle)) continue;
      if (onlyProblems && logSeverity(line) === 'info') continue;
      out.push({ n: firstNumber + i, line });
    }
    return out.reverse();
  }, [source, firstNumber, deferredQuery, onlyProblems]);
  const filtered = Boolean(deferredQuery) || onlyProblems;

  async function searchWholeLog() {
    const q = deferredQuery;
    const found = await search.run(() => api().call('runs.log', { id: runId, query: q, limit: 5000 }));
    if (found) setFullSearch({ query: q, lines: found.lines, total: found.total });
  }

  return (
    <Panel titleId="run-log-title" title="Log" className="run-log">
      <div className="run-log-tools">
        <label htmlFor={searchId}>Search the log</label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="e.g. warning, epoch 3"
        />
        <label className="run-log-toggle">
          <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} /> Only
          warnings and errors
        </label>
      </div>
      <p className="muted run-log-count" aria-live="polite">
        {filtered
          ? `${formatCount(shown.length)} matching line${shown.length === 1 ? '' : 's'}${
              wholeLog
                ? ` in the whole log (${formatCount(wholeLog.total)} lines)`
                : ` in the last ${formatCount(lines.length)} lines`
            }.`
          : `The last ${formatCount(Math.min(lines.length, RENDER_LIMIT))} of ${formatCount(total)} lines.`}{' '}
        {deferredQuery && total > lines.length && fullSearch?.query !== deferredQuery && (
          <button type="button" onClick={() => void searchWholeLog()} disabled={search.busy}>
            {search.busy ? 'Searching…' : `Search all ${formatCount(total)} lines`}
          </button>
        )}
      </p>
      {search.error && <ErrorNotice error={search.error} />}
      {error && <ErrorNotice error={error} />}
      <LogLines lines={shown} query={deferredQuery} follow={!filtered} />
    </Panel>
  );
});

/** The scrolling list of lines; sticks to the bottom while the user has not scrolled up. */
function LogLines({ lines, query, follow }: { lines: readonly NumberedLine[]; query: string; follow: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const sticky = follow && atBottom;

  useLayoutEffect(() => {
    if (sticky && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, sticky]);

  function onScroll() {
    const el = box.current;
    if (!el) return;
    setAtBottom(el.scrollHeight - el.scrollTop - el.clientHeight < 8);
  }

  return (
    <div className="run-log-wrap">
      <div
        ref={box}
        className="run-log-lines"
        role="log"
        aria-live="off"
        aria-label="Training log lines"
        tabIndex={0}
        onScroll={onScroll}
      >
        {lines.length === 0 && <p className="muted">{query ? 'No line matches.' : 'No log lines yet.'}</p>}
        {lines.map(({ n, line }) => (
          <LogLine key={n} line={line} query={query} />
        ))}
      </div>
      {follow && !atBottom && (
        <button
          type="button"
          className="run-log-jump"
          onClick={() => {
            setAtBottom(true);
            if (box.current) box.current.scrollTop = box.current.scrollHeight;
          }}
        >
          ↓ Jump to the newest lines
        </button>
      )}
    </div>
  );
}

/** Text with the search matches marked. */
function Marked({ text, query }: { text: string; query: string }) {
  return <>{splitMatches(text, query).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part))}</>;
}

/** One line: its time, its mark (error or warning, in place of the logging level) and its text, each apart. */
const LogLine = memo(function LogLine({ line, query }: { line: string; query: string }) {
  const { time, severity, text } = parseLogLine(line);
  return (
    <div className={`run-log-line run-log-${severity}`}>
      {time !== null && (
        <>
          <span className="run-log-time">
            <Marked text={time} query={query} />
          </span>{' '}
        </>
      )}
      {severity !== 'info' && (
        <>
          <span className="run-log-mark">{SEVERITY_MARK[severity]}</span>{' '}
        </>
      )}
      <span className="run-log-text">
        <Marked text={text} query={query} />
      </span>
    </div>
  );
});
