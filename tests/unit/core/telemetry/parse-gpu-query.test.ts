import { describe, expect, it } from 'vitest';
import { parseTelemetryLine, throttleCauses } from '../../../../electron/core/telemetry/parse-gpu-query';
import { readFixture } from '../../../helpers/fixtures';

const lines = (file: string) => readFixture('nvidia-smi', 'h100-80gb', file).split('\n').filter(Boolean);

describe('parseTelemetryLine on the recorded H100 stream', () => {
  it('parses every line of the idle and the loaded recording', () => {
    for (const line of [...lines('telemetry-stream-idle.csv'), ...lines('telemetry-stream-load.csv')]) {
      expect(parseTelemetryLine(line)).not.toBeNull();
    }
  });

  it('reads a loaded line field by field', () => {
    const parsed = parseTelemetryLine(lines('telemetry-stream-load.csv')[3]!);
    expect(parsed).toEqual({
      reading: {
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        utilizationPct: 97,
        memoryUsedMiB: 21491,
        memoryTotalMiB: 81559,
        temperatureC: 48,
        powerW: 690.78,
        powerLimitW: 700,
        smClockMHz: 1545,
        memClockMHz: 2619,
      },
      uuid: 'GPU-4084906f-2491-8c43-1448-a439d8052d12',
      throttleReasons: 0x4,
    });
  });

  it('accepts [N/A] and [Not Supported] in any value column', () => {
    const line =
      '1, GPU-x, NVIDIA GeForce RTX 4090, [N/A], [Not Supported], 24564, [N/A], [N/A], [Not Supported], 2520, 10501, [N/A]';
    expect(parseTelemetryLine(line)).toMatchObject({
      reading: {
        index: 1,
        utilizationPct: null,
        memoryUsedMiB: null,
        memoryTotalMiB: 24564,
        temperatureC: null,
        powerW: null,
        powerLimitW: null,
      },
      throttleReasons: null,
    });
  });

  it('rejects lines that are not telemetry rows', () => {
    expect(parseTelemetryLine(readFixture('nvidia-smi', 'h100-80gb', 'invalid-field.txt'))).toBeNull();
    expect(parseTelemetryLine(readFixture('nvidia-smi', 'h100-80gb', 'query-gpu.csv'))).toBeNull();
    expect(parseTelemetryLine('')).toBeNull();
  });
});

describe('throttleCauses', () => {
  it('ignores idle and the power cap that every loaded GPU hits (0x1, 0x4)', () => {
    expect(throttleCauses(0x1)).toEqual([]);
    expect(throttleCauses(0x4)).toEqual([]);
    expect(throttleCauses(null)).toEqual([]);
  });

  it('names thermal slowdown and the power brake', () => {
    expect(throttleCauses(0x44)).toEqual(['it is too hot (hardware thermal slowdown)']);
    expect(throttleCauses(0x80 | 0x20)).toHaveLength(2);
  });
});
