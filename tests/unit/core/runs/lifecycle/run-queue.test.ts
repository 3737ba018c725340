import { describe, expect, it } from 'vitest';
import { devicesOverlap, runsToStart, type RunDevices } from '../../../../../electron/core/runs/lifecycle/run-queue';

const gpu = (...ids: string[]): RunDevices => ({ device: 'gpu', gpuIds: ids });
const cpu: RunDevices = { device: 'cpu', gpuIds: [] };

describe('devicesOverlap', () => {
  it('all GPUs overlap with any GPU run; chosen GPUs overlap when they share one', () => {
    expect(devicesOverlap(gpu(), gpu('1'))).toBe(true);
    expect(devicesOverlap(gpu('0', '1'), gpu('1', '2'))).toBe(true);
    expect(devicesOverlap(gpu('0'), gpu('1'))).toBe(false);
  });
  it('CPU runs take turns with each other but not with GPU runs', () => {
    expect(devicesOverlap(cpu, cpu)).toBe(true);
    expect(devicesOverlap(cpu, gpu())).toBe(false);
  });
});

describe('runsToStart', () => {
  it('starts the first run when nothing runs, and queues one on the same GPUs', () => {
    expect(
      runsToStart(
        [],
        [
          { id: 'a', devices: gpu() },
          { id: 'b', devices: gpu() },
        ],
      ),
    ).toEqual(['a']);
  });
  it('starts runs on disjoint GPUs side by side, and a CPU run beside them', () => {
    const queue = [
      { id: 'a', devices: gpu('0') },
      { id: 'b', devices: gpu('1') },
      { id: 'c', devices: cpu },
      { id: 'd', devices: cpu },
    ];
    expect(runsToStart([], queue)).toEqual(['a', 'b', 'c']);
  });
  it('keeps first-come order: a later run may not jump a waiting one on the same GPU', () => {
    const queue = [
      { id: 'waits-for-all', devices: gpu() },
      { id: 'would-fit', devices: gpu('1') },
    ];
    expect(runsToStart([gpu('0')], queue)).toEqual([]);
  });
  it('nothing starts while the devices are busy', () => {
    expect(runsToStart([gpu('0', '1')], [{ id: 'a', devices: gpu('1') }])).toEqual([]);
    expect(runsToStart([cpu], [{ id: 'a', devices: cpu }])).toEqual([]);
  });
});
