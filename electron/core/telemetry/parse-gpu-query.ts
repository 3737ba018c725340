import type { GpuReading } from '../../contract';
import { parseSmiNumber, splitCsvLine } from '../environment/parse-nvidia-smi';

/** The fields of the 1 Hz query, in order (recorded on an H100: tests/fixtures/nvidia-smi). */
export const TELEMETRY_FIELDS = [
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'clocks.sm',
  'clocks.mem',
  'clocks_throttle_reasons.active', // newer drivers also call it clocks_event_reasons.active; both names work
] as const;

/** One GPU's line of the stream: the contract's reading plus what warnings need. */
export interface TelemetryLine {
  reading: GpuReading;
  uuid: string;
  /** Bitmask of active clock event (throttle) reasons; null when not reported. */
  throttleReasons: number | null;
}

/** Parses one line of `--query-gpu=<TELEMETRY_FIELDS> --format=csv,noheader,nounits`; null if it is not one. */
export function parseTelemetryLine(line: string): TelemetryLine | null {
  const fields = splitCsvLine(line);
  if (fields.length !== TELEMETRY_FIELDS.length) return null;
  const [index, uuid, name, util, memUsed, memTotal, temp, power, powerLimit, smClock, memClock, reasons] = fields;
  const parsedIndex = parseSmiNumber(index);
  if (parsedIndex === null || !Number.isInteger(parsedIndex)) return null;
  const mask = reasons && /^0x[0-9a-f]+$/i.test(reasons) ? Number.parseInt(reasons.slice(2), 16) : null;
  return {
    reading: {
      index: parsedIndex,
      name: name ?? '',
      utilizationPct: parseSmiNumber(util),
      memoryUsedMiB: parseSmiNumber(memUsed),
      memoryTotalMiB: parseSmiNumber(memTotal),
      temperatureC: parseSmiNumber(temp),
      powerW: parseSmiNumber(power),
      powerLimitW: parseSmiNumber(powerLimit),
      smClockMHz: parseSmiNumber(smClock),
      memClockMHz: parseSmiNumber(memClock),
    },
    uuid: uuid ?? '',
    throttleReasons: mask,
  };
}

/** nvidia-smi's clock event reason bits (nvml.h nvmlClocksEventReason*). */
export const CLOCK_EVENT = {
  gpuIdle: 0x1,
  applicationsClocksSetting: 0x2,
  swPowerCap: 0x4, // normal at full load: the board runs at its power limit
  hwSlowdown: 0x8,
  syncBoost: 0x10,
  swThermalSlowdown: 0x20,
  hwThermalSlowdown: 0x40,
  hwPowerBrakeSlowdown: 0x80,
  displayClockSetting: 0x100,
} as const;

const WORRYING: Array<[number, string]> = [
  [CLOCK_EVENT.hwThermalSlowdown, 'it is too hot (hardware thermal slowdown)'],
  [CLOCK_EVENT.swThermalSlowdown, 'it is too hot (thermal slowdown)'],
  [CLOCK_EVENT.hwPowerBrakeSlowdown, 'the power supply asked it to slow down (power brake)'],
  [CLOCK_EVENT.hwSlowdown, 'the hardware asked it to slow down (overheating or power)'],
];

/** Plain-language causes of the throttle bits that slow training down; empty when none is active. */
export function throttleCauses(mask: number | null): string[] {
  if (mask === null) return [];
  return WORRYING.filter(([bit]) => (mask & bit) !== 0).map(([, cause]) => cause);
}
