import type { RunSummary } from '@contract';

/**
 * The GPU server a run ran on, for "on ana@gpu1" in the runs list and the run's header; null for runs
 * on this computer and for older runs, which record no engine. Read defensively: `RunSummary.engine`
 * is optional, and a summary from an older core has none. Usage:
 *
 *   const server = runServer(run);   // 'ana@gpu1' | null
 */
export function runServer(summary: RunSummary): string | null {
  const engine: unknown = (summary as { engine?: unknown }).engine;
  if (!engine || typeof engine !== 'object') return null;
  const { kind, label } = engine as { kind?: unknown; label?: unknown };
  return kind === 'ssh' && typeof label === 'string' && label !== '' ? label : null;
}
