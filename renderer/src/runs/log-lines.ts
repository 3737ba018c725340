/** How a log line reads at a glance. */
export type LogSeverity = 'error' | 'warning' | 'info';

const ERROR = /\b(error|exception|traceback|fatal|failed|out of memory)\b/i;
const WARNING = /\b(warn|warning|warnings)\b/i;

/** Errors and warnings are marked in the log panel (with a word and an icon, not colour alone). */
export function logSeverity(line: string): LogSeverity {
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
