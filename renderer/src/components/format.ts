/**
 * The renderer's one set of formatters: sizes, durations, counts, percentages, metrics, dates, paths.
 * Numbers are written the en-US way ("12,345"), as the English text around them; dates in the user's
 * locale. Domain words (run statuses, model names, failure causes) live in `runs/run-labels.ts`.
 */

/**
 * Disk space and downloads in decimal units, as Docker, disk tools and the core's checks show them:
 * 1500 → "1.5 kB", 82e9 → "82 GB"; null → "unknown".
 */
export function formatBytes(bytes: number | null | undefined): string {
  return scaled(bytes, 1000, ['B', 'kB', 'MB', 'GB', 'TB']);
}

/** Memory (RAM, GPU memory) in binary units, as the settings' memory estimates: 1536 MiB → "1.5 GiB". */
export function formatMemory(bytes: number | null | undefined): string {
  return scaled(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB']);
}

function scaled(bytes: number | null | undefined, base: number, units: string[]): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'unknown';
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** 3725 → "1 h 2 min"; 42 → "42 s": the contract's, so the core's texts write durations the same way. */
export { formatDuration } from '@contract';

const SHORT_DATE = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** An ISO date in a few characters for tables, e.g. "28 Nov, 14:05" (the year when it is not this one). */
export function formatShortDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.getFullYear() === new Date().getFullYear() ? SHORT_DATE.format(date) : formatDateTime(iso);
}

/** 0.8734 → "87.3 %"; null → "—". */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)} %`;
}

// Intl formatters are costly to create (chart ticks format on every redraw): make each once.
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12345.6 → "12,346". */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return COUNT.format(Math.round(value));
}

const RATE = [0, 1, 2].map((digits) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }));

/**
 * A speed axis label: "1,250/s", "12.5/s", "0.25/s". Slow runs (a processor at a few images a second)
 * get ticks such as 0.25 and 0.5, which must not all read "0/s".
 */
export function formatRateTick(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  return `${RATE[abs >= 100 || abs === 0 ? 0 : abs >= 10 ? 1 : 2]!.format(value)}/s`;
}

/** A number with about three significant digits, small ones in exponent form (losses, learning rates). */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.001 || abs >= 100000)) return value.toExponential(2);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toPrecision(3);
}

/** An ISO date as the user's local date and time, e.g. "3 Jan 2026, 14:05". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The last folder name of a path (datasets are shown by name, full path on hover). */
export function folderName(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

/** "1 image" / "3 images" (the count formatted as by `formatCount`). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
