import { describe, expect, it } from 'vitest';
import { GpuWarningTracker } from '../../../../electron/core/telemetry/gpu-warnings';
import { parseTelemetryLine, type TelemetryLine } from '../../../../electron/core/telemetry/parse-gpu-query';
import { readFixture } from '../../../helpers/fixtures';

const stream = (variant: string) =>
  readFixture('nvidia-smi', variant, 'telemetry-stream-load.csv')
    .split('\n')
    .filter(Boolean)
    .map((line) => parseTelemetryLine(line)!);

describe('GpuWarningTracker', () => {
  it('stays quiet through the recorded H100 load (power cap is normal)', () => {
    const tracker = new GpuWarningTracker();
    expect(stream('h100-80gb').flatMap((line) => tracker.update([line]))).toEqual([]);
  });

  it('warns once when a GPU gets hot and once when it throttles, not every second', () => {
    const tracker = new GpuWarningTracker();
    const warnings = stream('hot-throttled').flatMap((line) => tracker.update([line]));
    expect(warnings.map((w) => w.code)).toEqual(['hot', 'throttled']);
    expect(warnings[0]!.message).toMatch(/GPU 0 \(NVIDIA H100 80GB HBM3\) is at 88 °C/);
    expect(warnings[1]!.message).toMatch(/too hot \(hardware thermal slowdown\)/);
  });

  it('warns again after the GPU has cooled down below the lower limit', () => {
    const tracker = new GpuWarningTracker({ hotC: 85, coolC: 80 });
    const at = (temperatureC: number): TelemetryLine => ({
      ...stream('h100-80gb')[0]!,
      reading: { ...stream('h100-80gb')[0]!.reading, temperatureC },
    });
    expect(tracker.update([at(86)])).toHaveLength(1);
    expect(tracker.update([at(82)])).toHaveLength(0);
    expect(tracker.update([at(87)])).toHaveLength(0);
    expect(tracker.update([at(79)])).toHaveLength(0);
    expect(tracker.update([at(86)])).toHaveLength(1);
  });
});
