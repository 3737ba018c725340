import { describe, expect, it } from 'vitest';
import {
  parseGpuInventory,
  parseProcDriverVersion,
  parseSmiNumber,
  splitCsvLine,
} from '../../../../electron/core/environment/parse-nvidia-smi';
import { readFixture } from '../../../helpers/fixtures';

describe('parseGpuInventory (recorded on an H100)', () => {
  it('reads driver, index, name, memory, UUID and bus id', () => {
    expect(parseGpuInventory(readFixture('nvidia-smi', 'h100-80gb', 'gpu-inventory.csv'))).toEqual([
      {
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        memoryMiB: 81559,
        uuid: 'GPU-4084906f-2491-8c43-1448-a439d8052d12',
        busId: '00000000:00:06.0',
        driverVersion: '580.159.04',
      },
    ]);
  });

  it('skips lines that are not GPU rows (errors, blanks)', () => {
    expect(parseGpuInventory(readFixture('nvidia-smi', 'h100-80gb', 'invalid-field.txt'))).toEqual([]);
    expect(parseGpuInventory(readFixture('nvidia-smi', 'h100-80gb', 'no-such-gpu.txt'))).toEqual([]);
  });
});

describe('parseSmiNumber', () => {
  it("accepts the recorded systeminformation query's fields, with [N/A] for the data-center card's fan", () => {
    const fields = splitCsvLine(readFixture('nvidia-smi', 'h100-80gb', 'query-gpu.csv').trim());
    expect(fields[4]).toBe('[N/A]');
    expect(fields.slice(4).map(parseSmiNumber)).toEqual([null, 81559, 0, 81079, 0, 0, 35, 35, 90.52, 700, 435, 2619]);
  });

  it('treats [Not Supported], N/A, empty and junk as unknown', () => {
    for (const value of ['[Not Supported]', '[N/A]', 'N/A', '', '  ', 'abc', undefined])
      expect(parseSmiNumber(value)).toBeNull();
    expect(parseSmiNumber(' 12.5 ')).toBe(12.5);
  });
});

describe('parseProcDriverVersion', () => {
  it('reads the recorded open kernel module line', () => {
    expect(parseProcDriverVersion(readFixture('nvidia-smi', 'h100-80gb', 'proc-driver-nvidia-version.txt'))).toBe(
      '580.159.04',
    );
  });

  it('reads the proprietary module wording of older drivers', () => {
    expect(
      parseProcDriverVersion(
        'NVRM version: NVIDIA UNIX x86_64 Kernel Module  470.82.00  Thu Oct 14 10:24:40 UTC 2021\n',
      ),
    ).toBe('470.82.00');
    expect(parseProcDriverVersion('nothing here')).toBeNull();
  });
});
