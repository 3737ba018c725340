import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GpuSample } from '../../electron/contract';
import { createCore, type StudioCore } from '../../electron/core/app-core';
import { dispatchCall } from '../../electron/core/dispatch';
import { testDocker, TWIN_IMAGE } from '../helpers/docker-env';
import { fakeNvidiaSmiEnv } from '../helpers/fake-nvidia-smi';
import { fixturePath } from '../helpers/fixtures';

let core: StudioCore | null = null;
let dataDir = '';
const savedEnv = { ...process.env };

afterEach(async () => {
  await core?.close();
  core = null;
  process.env = { ...savedEnv };
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

/** The whole core as a shell starts it, with the fake nvidia-smi first on PATH (the core reads process.env). */
async function startCore(background: boolean): Promise<StudioCore> {
  const env = fakeNvidiaSmiEnv('h100-80gb', { FAKE_NVIDIA_SMI_STREAM_END: 'loop' });
  process.env.PATH = env.PATH;
  process.env.FAKE_NVIDIA_SMI_DIR = env.FAKE_NVIDIA_SMI_DIR;
  process.env.FAKE_NVIDIA_SMI_STREAM_END = 'loop';
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-env-test-core-'));
  core = await createCore({
    shell: 'serve',
    version: '0.0.0-test',
    dataDir,
    trainerDir: fixturePath('docker', 'trainer-tiny'),
    baseImage: TWIN_IMAGE,
    docker: await testDocker(),
    background,
  });
  return core;
}

describe('GPU telemetry in the running core', () => {
  it('streams gpu.sample at 1 Hz from createCore, serves telemetry.recent, and stops on close()', async () => {
    const studio = await startCore(true);
    const samples: GpuSample[] = [];
    studio.bus.on('gpu.sample', (s) => samples.push(s));
    const t0 = Date.now();
    while (samples.length < 2 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples[0]!.gpus[0]).toMatchObject({ index: 0, name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559 });
    expect(samples[1]!.time - samples[0]!.time).toBeGreaterThan(500); // the real -lms 1000 interval, not a burst

    const recent = await dispatchCall(studio.handlers, 'telemetry.recent', { seconds: 60 });
    expect(recent).toMatchObject({ ok: true });
    expect((recent as { value: GpuSample[] }).value.length).toBeGreaterThanOrEqual(samples.length);

    const telemetry = studio.engine.telemetry;
    await studio.close();
    core = null;
    expect(telemetry.state).toBe('stopped');
    const count = samples.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(samples.length).toBe(count);
  });

  it('starts nothing when background services are off', async () => {
    const studio = await startCore(false);
    expect(studio.engine.telemetry.state).toBe('stopped');
    expect(await dispatchCall(studio.handlers, 'telemetry.recent', {})).toEqual({ ok: true, value: [] });
    const status = await dispatchCall(studio.handlers, 'image.status', {});
    expect(status).toMatchObject({
      ok: true,
      value: { baseImage: TWIN_IMAGE, basePresent: true, needsConsent: false },
    });
  });
});
