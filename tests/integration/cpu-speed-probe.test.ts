import type Dockerode from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuSpeedProbe, ProbeUnavailable, type ProbeEnv } from '../../electron/core/runs/estimate/cpu-speed-probe';
import { testDocker } from '../helpers/docker-env';
import { tempDir } from '../helpers/runs-temp';
import { testTrainerImage } from '../helpers/runs-trainer-image';

// The processor speed probe against the real Docker Engine and the real trainer image (CPU twin):
// `deit_trainer probe-speed` in a locked-down container, its answer cached per model, size and batch.
let docker: Dockerode;
let image: string;
let suite: { dir: string; cleanup: () => void };

beforeAll(async () => {
  docker = await testDocker();
  image = await testTrainerImage(docker);
  suite = tempDir('deit-probe-test-');
});
afterAll(() => suite?.cleanup());

/** A probe whose Docker client counts the containers it creates. */
function probe(busy = false): { probe: CpuSpeedProbe; created: Dockerode.ContainerCreateOptions[]; env: ProbeEnv } {
  const created: Dockerode.ContainerCreateOptions[] = [];
  const counting = new Proxy(docker, {
    get(target, key, receiver) {
      if (key === 'createContainer') {
        return (spec: Dockerode.ContainerCreateOptions) => {
          created.push(spec);
          return target.createContainer(spec);
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const env: ProbeEnv = {
    docker: async () => counting,
    trainerImage: async () => image,
    user: process.getuid && process.getgid ? { uid: process.getuid(), gid: process.getgid() } : null,
    dataDir: suite.dir,
    cacheDir: path.join(suite.dir, 'cache'),
    namePrefix: 'deit-probe-test',
    extraEnv: ['OMP_NUM_THREADS=1'],
    busy: () => busy,
  };
  return { probe: new CpuSpeedProbe(env), created, env };
}

describe('the processor speed probe', () => {
  it('times DeiT-Ti at 32 px in a locked-down container, removes it, and measures once', async () => {
    const { probe: first, created } = probe();
    const speed = await first.speed('deit_tiny_patch16_224', 32, 16);
    expect(speed.trainImgPerS).toBeGreaterThan(0);
    expect(speed.evalImgPerS).toBeGreaterThan(0);
    expect(speed.cores).toBe(1); // threads: OMP_NUM_THREADS=1, as training containers get it in the tests
    expect(created).toHaveLength(1);
    expect(created[0]!.HostConfig).toMatchObject({ NetworkMode: 'none', CapDrop: ['ALL'] });
    // Nothing of this computer is mounted, so the probe runs on a GPU server's engine as well.
    expect(created[0]!.HostConfig?.Binds).toBeUndefined();
    expect(created[0]!.HostConfig?.Mounts).toBeUndefined();
    const left = await docker.listContainers({ all: true, filters: { label: ['deit-studio.role=probe-speed'] } });
    expect(left.filter((c) => c.Names.some((n) => n.includes('deit-probe-test')))).toEqual([]);

    // The same model, size and batch again: not timed again.
    expect(await first.speed('deit_tiny_patch16_224', 32, 16)).toEqual(speed);
    expect(created).toHaveLength(1);
    // Kept for later sessions in the cache file, unless the machine was busy while timing (then too low).
    const file = path.join(suite.dir, 'cache', 'cpu-speed.json');
    const kept = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as object) : {};
    expect(Object.keys(kept).some((key) => key.includes('deit_tiny_patch16_224|32|16'))).toBe(!speed.busy);
    if (!speed.busy) {
      const { probe: second, created: again } = probe();
      expect(await second.speed('deit_tiny_patch16_224', 32, 16)).toEqual(speed);
      expect(again).toHaveLength(0);
    }
  });

  it('does not give a figure timed on one engine for another with as many cores (a GPU server)', async () => {
    const { probe: p, env } = probe();
    const speed = await p.speed('deit_tiny_patch16_224', 32, 8);
    const info = (await docker.info()) as Record<string, unknown>;
    // A second engine cannot exist here: the same engine, reporting another engine ID (as a server would).
    const server = new Proxy(docker, {
      get(target, key, receiver) {
        if (key === 'info') return async () => ({ ...info, ID: 'ANOTHER-ENGINE-ID', Name: 'gpu1' });
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const local = env.docker;
    env.docker = async () => server;
    env.busy = () => true; // no timing now: only a figure already known could answer
    await expect(p.speed('deit_tiny_patch16_224', 32, 8)).rejects.toBeInstanceOf(ProbeUnavailable);
    env.docker = local;
    expect(await p.speed('deit_tiny_patch16_224', 32, 8)).toEqual(speed); // this engine's figure is still known
  });

  it('does not time the processor while a run trains', async () => {
    const { probe: busy, created } = probe(true);
    await expect(busy.speed('deit_tiny_patch16_224', 48, 16)).rejects.toBeInstanceOf(ProbeUnavailable);
    expect(created).toHaveLength(0);
  });

  it('says what failed when the trainer cannot time the model', async () => {
    const { probe: failing } = probe();
    // 8 px is smaller than one 16-pixel patch: the model cannot run, the probe says so with the trainer's message.
    await expect(failing.speed('deit_tiny_patch16_224', 8, 16)).rejects.toThrow(
      /timing a few training steps failed \(The trainer failed unexpectedly \(RuntimeError: .*Kernel size/,
    );
  });
});
