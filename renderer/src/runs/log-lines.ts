/** How a log line reads at a glance. */
export type LogSeverity = 'error' | 'warning' | 'info';

const ERROR = /\b(error|exception|traceback|fatal|failed|out of memory)\b/i;
const WARNING = /\b(warn|warning|warnings)\b/i;

/** A train.log line in its fields: "2026-11-28 07:29:51,123 ERROR The weights …" (Python logging). */
export interface LogFields {
  /** "07:29:51", or null for a line that is not a log record (a continuation line, another tool's output). */
  time: string | null;
  severity: LogSeverity;
  text: string;
}

const RECORD = /^(?:\d{4}-\d\d-\d\d[ T])?(\d\d:\d\d:\d\d)(?:[,.]\d+)? (DEBUG|INFO|WARNING|ERROR|CRITICAL) (.*)$/s;

/** Splits a log line into time, severity and text, so the panel shows them apart (never "✕ error07:29:51 ERROR"). */
export function parseLogLine(line: string): LogFields {
  const match = RECORD.exec(line);
  if (!match) return { time: null, severity: guessSeverity(line), text: line };
  const level = match[2]!;
  const severity = level === 'ERROR' || level === 'CRITICAL' ? 'error' : level === 'WARNING' ? 'warning' : 'info';
  return { time: match[1]!, severity, text: match[3]! };
}

/** Errors and warnings are marked in the log panel (with a word and an icon, not colour alone). */
export function logSeverity(line: string): LogSeverity {
  return parseLogLine(line).severity;
}

/** A line without a level: its words decide. */
function guessSeverity(line: string): LogSeverity {
  if (ERROR.test(line)) return 'error';
  if (WARNING.test(line)) return 'warning';
  return 'info';
}

/** Splits a line around case-insensitive matches of `query`: odd indices are the matches. */
export function splitMatches(line: string, query: string): string[] {
  if (!query) return [line];
  const parts: string[] = [];
  const lower = line.toLowerCase();
  const needle = query.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    parts.push(line.slice(from, at), line.slice(at, at + needle.length));
    from = at + needle.length;
  }
  parts.push(line.slice(from));
  return parts;
}
