import type { EventPayload } from '../../contract';
import { throttleCauses, type TelemetryLine } from './parse-gpu-query';

/** A `gpu.warning` event. */
export type GpuWarning = EventPayload<'gpu.warning'>;

/** When a GPU counts as hot, and when it has cooled down again (hysteresis stops flapping). */
export interface WarningLimits {
  hotC: number;
  coolC: number;
}

/** The default: most NVIDIA GPUs start slowing down in the upper 80s °C. */
export const DEFAULT_WARNING_LIMITS: WarningLimits = { hotC: 85, coolC: 80 };

/**
 * Remembers which GPUs are hot or throttled so that each episode is reported once, when it starts,
 * not once per second.
 */
export class GpuWarningTracker {
  private readonly hot = new Set<number>();
  private readonly throttled = new Set<number>();

  constructor(private readonly limits: WarningLimits = DEFAULT_WARNING_LIMITS) {}

  /** The warnings that start with this sample's lines. */
  update(lines: readonly TelemetryLine[]): GpuWarning[] {
    const warnings: GpuWarning[] = [];
    for (const { reading, throttleReasons } of lines) {
      const gpu = `GPU ${reading.index} (${reading.name})`;
      const temp = reading.temperatureC;
      if (temp !== null && temp >= this.limits.hotC && !this.hot.has(reading.index)) {
        this.hot.add(reading.index);
        warnings.push({
          gpuIndex: reading.index,
          code: 'hot',
          message: `${gpu} is at ${temp} °C. Check that its fans turn and air can reach it; training slows down when it overheats.`,
        });
      } else if (temp !== null && temp < this.limits.coolC) {
        this.hot.delete(reading.index);
      }
      const causes = throttleCauses(throttleReasons);
      if (causes.length > 0 && !this.throttled.has(reading.index)) {
        this.throttled.add(reading.index);
        warnings.push({
          gpuIndex: reading.index,
          code: 'throttled',
          message: `${gpu} is slowing itself down: ${causes.join('; ')}. Training will be slower until it recovers.`,
        });
      } else if (causes.length === 0 && throttleReasons !== null) {
        this.throttled.delete(reading.index);
      }
    }
    return warnings;
  }
}
