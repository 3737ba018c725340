import { describe, expect, it } from 'vitest';
import { gpuDeviceRequests } from '../../../../electron/core/docker/gpu-device-request';

describe('gpuDeviceRequests', () => {
  it('asks for all GPUs like --gpus all', () => {
    expect(gpuDeviceRequests()).toEqual([{ Driver: '', Count: -1, Capabilities: [['gpu']] }]);
  });

  it('asks for chosen GPUs by DeviceIDs, never together with Count', () => {
    const [request] = gpuDeviceRequests(['0', '2']);
    expect(request).toEqual({ Driver: '', DeviceIDs: ['0', '2'], Capabilities: [['gpu']] });
    expect(request).not.toHaveProperty('Count');
  });
});
