import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload, GpuSample } from '../../../../electron/contract';
import { NvidiaSmi } from '../../../../electron/core/environment/nvidia-smi';
import { EventBus } from '../../../../electron/core/event-bus';
import { GpuTelemetry, type GpuTelemetryOptions } from '../../../../electron/core/telemetry/gpu-telemetry';
import { fakeNvidiaSmiEnv, noNvidiaSmiEnv } from '../../../helpers/fake-nvidia-smi';

let telemetry: GpuTelemetry | null = null;
afterEach(async () => {
  await telemetry?.stop();
  telemetry = null;
});

/** Starts telemetry on a fake nvidia-smi replaying the recorded stream 50× faster than real time. */
function start(env: NodeJS.ProcessEnv, options: Partial<GpuTelemetryOptions> = {}) {
  const bus = new EventBus();
  const samples: GpuSample[] = [];
  const warnings: Array<EventPayload<'gpu.warning'>> = [];
  bus.on('gpu.sample', (s) => samples.push(s));
  bus.on('gpu.warning', (w) => warnings.push(w));
  telemetry = new GpuTelemetry({ bus, smi: new NvidiaSmi({ env }), intervalMs: 20, restartDelaysMs: [50], ...options });
  telemetry.start();
  return { samples, warnings, telemetry };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('GpuTelemetry with a fake nvidia-smi replaying the recorded H100 stream', () => {
  it('pushes one gpu.sample per tick with the recorded values, and keeps them for telemetry.recent', async () => {
    const { samples, telemetry } = start(fakeNvidiaSmiEnv());
    await until(() => samples.length >= 5);
    expect(samples.slice(0, 5).map((s) => s.gpus[0]!.utilizationPct)).toEqual([2, 0, 94, 97, 97]);
    expect(samples[2]!.gpus[0]).toMatchObject({ index: 0, memoryUsedMiB: 21491, temperatureC: 47, powerW: 371.89 });
    expect(telemetry.recent(60).length).toBe(samples.length);
    expect(telemetry.state).toBe('streaming');
  });

  it('groups the lines of several GPUs into one sample', async () => {
    const { samples } = start(fakeNvidiaSmiEnv('two-gpus'));
    await until(() => samples.length >= 3);
    expect(samples.slice(0, 3).map((s) => s.gpus.map((g) => g.index))).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    expect(samples[0]!.gpus[1]!.utilizationPct).toBeNull();
  });

  it('restarts the stream when nvidia-smi exits, with backoff', async () => {
    const { samples } = start(fakeNvidiaSmiEnv('h100-80gb', { FAKE_NVIDIA_SMI_STREAM_END: 'exit' }));
    await until(() => samples.length >= 16); // the recording has 14 ticks: more means it restarted
    expect(samples[14]!.gpus[0]!.utilizationPct).toBe(2);
  });

  it('emits gpu.warning for a hot, throttling GPU', async () => {
    const { warnings } = start(fakeNvidiaSmiEnv('hot-throttled'));
    await until(() => warnings.length >= 2);
    expect(warnings.map((w) => w.code)).toEqual(['hot', 'throttled']);
  });

  it('stays silent and does not retry without nvidia-smi', async () => {
    const { samples, warnings, telemetry } = start(noNvidiaSmiEnv());
    await until(() => telemetry.state === 'unavailable');
    await new Promise((r) => setTimeout(r, 200));
    expect(samples).toEqual([]);
    expect(warnings).toEqual([]);
    expect(telemetry.state).toBe('unavailable');
  });

  it('gives up quietly when the driver is not loaded (exit 9)', async () => {
    const { samples, telemetry } = start(fakeNvidiaSmiEnv('driver-not-loaded'));
    await until(() => telemetry.state === 'unavailable');
    await new Promise((r) => setTimeout(r, 200));
    expect(samples).toEqual([]);
    expect(telemetry.state).toBe('unavailable');
  });

  it('stops its child on stop(), and sends nothing afterwards', async () => {
    const { samples, telemetry } = start(fakeNvidiaSmiEnv('h100-80gb', { FAKE_NVIDIA_SMI_STREAM_END: 'loop' }));
    await until(() => samples.length >= 2);
    const child = (telemetry as unknown as { child: { pid: number } }).child;
    await telemetry.stop();
    const count = samples.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(samples.length).toBe(count);
    expect(() => process.kill(child.pid, 0)).toThrow();
    expect(telemetry.state).toBe('stopped');
  });
});
