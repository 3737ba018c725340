/** p50 / p95 / max of a list of durations (ms). */
export interface Spread {
  p50: number;
  p95: number;
  max: number;
}

/** What the dashboard's updates cost on the renderer's main thread. */
export interface UpdateTimes {
  /** Store flushes (progress, log, chart text) seen in the trace. */
  flushes: number;
  /** Chart redraws seen in the trace. */
  draws: number;
  /** Frames (main-thread tasks) that carried dashboard work. */
  count: number;
  /** Each such task alone: script, and the frame's rendering when it ran in the same task. */
  script: Spread;
  /** Each such task plus, when it did not render the frame itself, the rendering task after it. */
  total: Spread;
  /** `total` in thread CPU time: what it costs when no other process competes for the core. */
  cpu: Spread;
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, µs. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { data?: { message?: string } };
}

/** Nearest-rank percentile. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** p50 / p95 / max of `values`. */
export function summarise(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? Number.NaN };
}

const RENDERING = new Set(['UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize']);
const end = (e: TraceEvent) => e.ts + (e.dur ?? 0);

/**
 * Finds the dashboard's work in a Chromium trace by the console.timeStamp labels the renderer
 * writes ('deit:dashboard-update' for each store flush, 'deit:chart-draw' for each chart redraw)
 * and measures every main-thread task that holds any of it, with the rendering of its frame.
 */
export function analyseTrace(
  trace: { traceEvents: TraceEvent[] },
  labels = { flush: 'deit:dashboard-update', draw: 'deit:chart-draw' },
): UpdateTimes {
  const events = trace.traceEvents;
  const stamp = (e: TraceEvent) => (e.name === 'TimeStamp' ? e.args?.data?.message : undefined);
  const marks = events.filter((e) => stamp(e) === labels.flush || stamp(e) === labels.draw);
  const first = marks[0];
  const none = summarise([]);
  const empty = { flushes: 0, draws: 0, count: 0, script: none, total: none, cpu: none };
  if (!first) return empty;
  const onMain = (e: TraceEvent) => e.pid === first.pid && e.tid === first.tid;
  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && onMain(e)).sort((a, b) => a.ts - b.ts);
  const rendering = events
    .filter((e) => e.ph === 'X' && RENDERING.has(e.name) && onMain(e))
    .sort((a, b) => a.ts - b.ts);
  const taskAt = (ts: number) => tasks.find((t) => t.ts <= ts && ts <= end(t));
  const rendersWithin = (t: TraceEvent) => rendering.some((r) => r.ts >= t.ts && r.ts <= end(t));

  const busy = new Set<TraceEvent>();
  for (const mark of marks) {
    const task = taskAt(mark.ts);
    if (task) busy.add(task);
  }
  const script: number[] = [];
  const total: number[] = [];
  const cpu: number[] = [];
  for (const task of busy) {
    let ms = (task.dur ?? 0) / 1000;
    let cpuMs = (task.tdur ?? task.dur ?? 0) / 1000;
    script.push(ms);
    if (!rendersWithin(task)) {
      const next = rendering.find((r) => r.ts >= end(task));
      const frame = next && taskAt(next.ts);
      if (frame && !busy.has(frame)) {
        ms += (frame.dur ?? 0) / 1000;
        cpuMs += (frame.tdur ?? frame.dur ?? 0) / 1000;
      }
    }
    total.push(ms);
    cpu.push(cpuMs);
  }
  return {
    flushes: marks.filter((m) => stamp(m) === labels.flush).length,
    draws: marks.filter((m) => stamp(m) === labels.draw).length,
    count: busy.size,
    script: summarise(script),
    total: summarise(total),
    cpu: summarise(cpu),
  };
}
