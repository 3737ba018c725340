import type { GpuReading, GpuSample } from './environment';

/**
 * Whether another program is using a GPU, from one telemetry reading: the rule the Settings step
 * flags a GPU with (and leaves it out of the default choice) and the one classification uses to pick
 * a GPU, so the two never disagree.
 *
 *   const use = gpuUse(reading);       // { busy: true, text: 'in use by another program (78 % busy, 40 GiB used)', … }
 *   peakReadings(samples);             // each GPU's peak over the last 10 s: steady, not flickering
 *   leastBusyIdleGpu(sample.gpus);     // the idle GPU with the least work on it, or null
 *
 * A desktop's display keeps a few hundred MiB and a few per cent on its GPU; that is not "in use".
 * A reading the driver does not give (`[N/A]`, null) counts as idle for that part.
 */
export const GPU_BUSY = {
  /** Utilisation at or above this share (per cent) means another program computes on it. */
  utilizationPct: 15,
  /** Memory used above this (MiB) means another program holds it (a model, a training run). */
  memoryUsedMiB: 2048,
} as const;

export interface GpuUse {
  busy: boolean;
  /** In words: "idle (0 % busy, 0 GiB used)", or "in use by another program (78 % busy, 40 GiB used)". */
  text: string;
  /** The reading's figures alone: "78 % busy, 40 GiB used" ('' when the driver gave none). */
  figures: string;
}

/**
 * How long a GPU's use is judged over, ms: utilisation swings between a program's bursts (2 % and
 * 95 % a second apart), so the flag and its figures use each GPU's peak over this window.
 */
export const GPU_USE_WINDOW_MS = 10_000;

const gib = (mib: number) => {
  const value = mib / 1024;
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} GiB`;
};

/** Busy or idle, with what the reading says. */
export function gpuUse(reading: Pick<GpuReading, 'utilizationPct' | 'memoryUsedMiB'>): GpuUse {
  const util = reading.utilizationPct;
  const used = reading.memoryUsedMiB;
  const busy = (util !== null && util >= GPU_BUSY.utilizationPct) || (used !== null && used > GPU_BUSY.memoryUsedMiB);
  const parts = [util !== null ? `${Math.round(util)} % busy` : null, used !== null ? `${gib(used)} used` : null];
  const said = parts.filter(Boolean).join(', ');
  const text = busy ? `in use by another program (${said})` : `idle${said ? ` (${said})` : ''}`;
  return { busy, text, figures: said };
}

/**
 * Each GPU's reading over the samples of the last `windowMs` before the newest: the newest reading
 * with its utilisation and memory used raised to their peak in the window (a GPU whose program pauses
 * for a second stays "in use", with the same figures). Empty when there are no samples.
 */
export function peakReadings(samples: readonly GpuSample[], windowMs = GPU_USE_WINDOW_MS): Map<number, GpuReading> {
  const newest = samples.reduce((t, s) => Math.max(t, s.time), -Infinity);
  const out = new Map<number, GpuReading>();
  const inWindow = samples.filter((s) => s.time >= newest - windowMs).sort((a, b) => a.time - b.time);
  for (const sample of inWindow) {
    for (const r of sample.gpus) {
      const before = out.get(r.index);
      out.set(r.index, {
        ...r,
        utilizationPct: peak(before?.utilizationPct, r.utilizationPct),
        memoryUsedMiB: peak(before?.memoryUsedMiB, r.memoryUsedMiB),
      });
    }
  }
  return out;
}

const peak = (a: number | null | undefined, b: number | null) =>
  a === null || a === undefined ? b : b === null ? a : Math.max(a, b);

/** The idle GPU with the least work on it (utilisation, then memory used, then index); null when none is idle. */
export function leastBusyIdleGpu<T extends Pick<GpuReading, 'index' | 'utilizationPct' | 'memoryUsedMiB'>>(
  readings: readonly T[],
): T | null {
  const idle = readings.filter((r) => !gpuUse(r).busy);
  idle.sort(
    (a, b) =>
      (a.utilizationPct ?? 0) - (b.utilizationPct ?? 0) ||
      (a.memoryUsedMiB ?? 0) - (b.memoryUsedMiB ?? 0) ||
      a.index - b.index,
  );
  return idle[0] ?? null;
}
