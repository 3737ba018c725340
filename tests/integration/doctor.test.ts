import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentReport } from '../../electron/contract';
import { createCore } from '../../electron/core/app-core';
import { dispatchCall } from '../../electron/core/dispatch';
import { findDocker } from '../../electron/core/docker/connect';
import type { DockerEndpoint } from '../../electron/core/docker/docker-endpoints';
import { PROBE_EXEC, probeGpuContainer } from '../../electron/core/docker/gpu-probe';
import { EnvironmentDoctor, type DoctorDeps } from '../../electron/core/environment/environment-doctor';
import { readHostPlatform } from '../../electron/core/environment/host-platform';
import { NvidiaSmi } from '../../electron/core/environment/nvidia-smi';
import { EventBus } from '../../electron/core/event-bus';
import { ImageService } from '../../electron/core/images/image-service';
import { testDocker, TWIN_IMAGE } from '../helpers/docker-env';
import { fakeNvidiaSmiEnv, noNvidiaSmiEnv } from '../helpers/fake-nvidia-smi';
import { fixturePath } from '../helpers/fixtures';
import { removeImages } from '../helpers/local-registry';

const PROBE_IMAGE = 'deit-env-test/gpu-probe:1';
const PROBE_PREFIX = 'deit-env-test-gpu-probe';
let docker: Dockerode;
let dataDir: string;

/** The doctor as createCore builds it, with a fake nvidia-smi on PATH and test names for the probe. */
function doctor(env: NodeJS.ProcessEnv, overrides: Partial<DoctorDeps> = {}): EnvironmentDoctor {
  const images = new ImageService({
    docker: async () => docker,
    bus: new EventBus(),
    trainerDir: fixturePath('docker', 'trainer-tiny'),
    baseImage: TWIN_IMAGE,
    repository: 'deit-env-test/trainer',
  });
  return new EnvironmentDoctor({
    host: () => readHostPlatform(),
    smi: new NvidiaSmi({ env }),
    procDriverPath: '/nonexistent/deit-env-test',
    findDocker: () => findDocker(),
    probe: (connected) =>
      probeGpuContainer({ docker: connected.docker, probeImage: PROBE_IMAGE, namePrefix: PROBE_PREFIX }),
    imageDiskNeed: () => images.diskNeed(),
    dataDir,
    now: () => new Date('2026-11-28T00:00:00Z'),
    ...overrides,
  });
}

const byId = (report: EnvironmentReport, id: string) => report.checks.find((c) => c.id === id)!;

async function probeContainers(): Promise<string[]> {
  const all = await docker.listContainers({ all: true });
  return all.filter((c) => c.Names.some((n) => n.startsWith(`/${PROBE_PREFIX}`))).map((c) => c.Id);
}

beforeAll(async () => {
  docker = await testDocker(); // DOCKER_HOST names the test engine; findDocker() discovers it the same way
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-env-test-data-'));
});

afterAll(async () => {
  await removeImages(docker, 'deit-env-test/gpu-probe');
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('the environment doctor on the real Docker Engine', () => {
  it('reports the real engine and the real "no GPU driver for Docker" error of its probe container', async () => {
    const version = await docker.version();
    const report = await doctor(fakeNvidiaSmiEnv()).check();
    expect(EnvironmentReport.parse(report)).toEqual(report);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['driver', 'ok'],
      ['docker', 'ok'],
      ['gpu-container', 'blocking'],
      ['disk', 'ok'],
      ['memory', 'ok'],
    ]);
    expect(byId(report, 'driver').message).toBe('NVIDIA driver 580.159.04 — 1 GPU: NVIDIA H100 80GB HBM3 (80 GiB).');
    expect(byId(report, 'docker').message).toContain(
      `Docker Engine ${version.Version} (API ${version.ApiVersion}) answers at ${process.env.DOCKER_HOST!.slice(7)}`,
    );

    const gpu = byId(report, 'gpu-container');
    expect(gpu.message).toBe(
      'Docker cannot give containers your NVIDIA GPU: the NVIDIA Container Toolkit is missing or not set up.',
    );
    expect(gpu.detail).toBe('could not select device driver "" with capabilities: [[gpu]]');
    expect(gpu.fix?.command).toMatch(/nvidia-container-toolkit/);
    expect(report).toMatchObject({
      gpuReady: false,
      cpuFallback: true,
      gpus: [{ index: 0, name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }],
    });
    expect(await probeContainers()).toEqual([]);
  });

  it('recognises a probe that reached its program as GPU access that works (no GPU requested here)', async () => {
    expect(
      await probeGpuContainer({ docker, probeImage: PROBE_IMAGE, namePrefix: PROBE_PREFIX, deviceRequests: null }),
    ).toEqual({ ok: true });
    expect(PROBE_EXEC).toMatch(/^\//);
    expect(await probeContainers()).toEqual([]);
  });

  it('without an NVIDIA driver: blocks the driver, skips the probe, offers the CPU', async () => {
    const report = await doctor(noNvidiaSmiEnv()).check();
    expect(byId(report, 'driver')).toMatchObject({
      status: 'blocking',
      message: expect.stringMatching(/No NVIDIA driver or GPU was found/),
    });
    expect(byId(report, 'gpu-container')).toMatchObject({
      status: 'skipped',
      message: 'Checked once the NVIDIA driver works.',
    });
    expect(report).toMatchObject({ gpuReady: false, cpuFallback: true });
    expect(report.gpus).toBeUndefined();
  });

  it('with the driver not loaded (nvidia-smi exit 9): says to restart', async () => {
    const report = await doctor(fakeNvidiaSmiEnv('driver-not-loaded')).check();
    expect(byId(report, 'driver')).toMatchObject({
      status: 'blocking',
      message: 'The NVIDIA driver is installed but not loaded.',
    });
    expect(byId(report, 'driver').fix?.text).toMatch(/Restart the computer/);
  });

  it('with an old driver: blocks it with the version CUDA 12.4 needs; a 535 driver only warns', async () => {
    const old = await doctor(fakeNvidiaSmiEnv('old-driver-470')).check();
    expect(byId(old, 'driver')).toMatchObject({
      status: 'blocking',
      message: expect.stringMatching(/470\.256\.02 .* too old .* 550\.54\.14/),
    });
    const compat = await doctor(fakeNvidiaSmiEnv('compat-driver-535')).check();
    expect(byId(compat, 'driver').status).toBe('warning');
    expect(byId(compat, 'gpu-container').status).toBe('blocking'); // the probe still runs: the driver works
  });

  it('without Docker: blocks Docker with the fix, skips the probe, offers nothing', async () => {
    const missing: DockerEndpoint = { source: 'system', label: 'test', host: `unix://${dataDir}/no-docker.sock` };
    const report = await doctor(fakeNvidiaSmiEnv(), { findDocker: () => findDocker({ endpoints: [missing] }) }).check();
    expect(byId(report, 'docker')).toMatchObject({
      status: 'blocking',
      message: 'Docker is not running on this computer.',
    });
    expect(byId(report, 'docker').fix?.command).toBe('sudo systemctl enable --now docker');
    expect(byId(report, 'gpu-container').status).toBe('skipped');
    expect(report).toMatchObject({ gpuReady: false, cpuFallback: false });
  });

  it('answers environment.check through the contract, from createCore', async () => {
    const hadProbeImage = await docker
      .getImage('deit-studio/gpu-probe:1')
      .inspect()
      .then(
        () => true,
        () => false,
      );
    const saved = process.env.PATH;
    process.env.PATH = fakeNvidiaSmiEnv().PATH;
    const core = await createCore({
      shell: 'serve',
      version: '0.0.0-test',
      dataDir,
      trainerDir: fixturePath('docker', 'trainer-tiny'),
      baseImage: TWIN_IMAGE,
      docker,
      background: false,
    });
    try {
      const result = await dispatchCall(core.handlers, 'environment.check', {});
      expect(result.ok).toBe(true);
      const report = EnvironmentReport.parse((result as { value: unknown }).value);
      expect(byId(report, 'gpu-container')).toMatchObject({
        status: 'blocking',
        detail: 'could not select device driver "" with capabilities: [[gpu]]',
      });
      expect(report.cpuFallback).toBe(true);
    } finally {
      process.env.PATH = saved;
      await core.close();
      if (!hadProbeImage)
        await docker
          .getImage('deit-studio/gpu-probe:1')
          .remove()
          .catch(() => undefined);
    }
  });
});
