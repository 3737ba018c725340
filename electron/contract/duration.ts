/**
 * The one way durations are written, by the core's texts and the renderer alike (so an estimate's
 * headline and its explanation agree): 42 → "42 s", 92 → "1 min 32 s", 3725 → "1 h 2 min",
 * 200 h → "8 days 8 h".
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'unknown';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${s % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days ${hours % 24} h`;
}

/**
 * An estimate's seconds at the precision it has (a few percent at best): 92 → 90, 754 → 780,
 * 9,123 → 9,000 (to 5 minutes from 2 hours on) — so "about 1 min 30 s", not a falsely exact "about 1 min 32 s".
 */
export function roundEstimate(seconds: number): number {
  const step = seconds < 60 ? 5 : seconds < 600 ? 10 : seconds < 7200 ? 60 : 300;
  return Math.max(step === 5 ? 1 : step, Math.round(seconds / step) * step);
}
