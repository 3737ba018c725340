import type { GpuReading } from './environment';

/**
 * Whether another program is using a GPU, from one telemetry reading: the rule the Settings step
 * flags a GPU with (and leaves it out of the default choice) and the one classification uses to pick
 * a GPU, so the two never disagree.
 *
 *   const use = gpuUse(reading);       // { busy: true, text: 'in use: 78 % busy, 40 GiB used' }
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
  /** In words: "idle", or "in use: 78 % busy, 40 GiB used". */
  text: string;
}

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
  return { busy, text: busy ? `in use: ${said}` : `idle${said ? ` (${said})` : ''}` };
}

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
