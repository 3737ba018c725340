import type Dockerode from 'dockerode';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ModelId } from '../../../contract';
import { writeJsonAtomic } from '../../atomic-file';
import { LABELS, LOCKED_DOWN, type ContainerUser } from '../../docker/container-spec';
import { runToolContainer } from '../../docker/tool-container';

/**
 * How fast this machine's processor trains a model: `deit_trainer probe-speed` (speed_probe.py) in a
 * short, locked-down container of the training image, timing a few training steps of the model at
 * the run's image size and batch. For the estimate before a CPU run (run-estimate.ts).
 *
 *   const probe = new CpuSpeedProbe(env);
 *   const speed = await probe.speed('deit_tiny_patch16_224', 32, 32);   // null: could not time it
 *
 * It times the engine the run will use (the current one, a GPU server's too: the container needs no
 * mounts). Results are kept per training image, model, image size, batch and engine (its ID, cores,
 * this computer's CPU model) in `<data>/cache/cpu-speed.json`, so each is measured once. One probe
 * runs at a time (they compete for the same cores); a request waiting behind it is replaced by a
 * newer one (the user moved on).
 */

export const ProbeResult = z.object({
  train_img_per_s: z.number().positive(),
  eval_img_per_s: z.number().positive(),
  /** Compute threads the probe (and so training) used: one per core given, unless set otherwise. */
  threads: z.number().int().optional(),
  timed_batch: z.number().int().optional(),
  /** Processor time per wall second and thread while timing: near 1 idle, far less when other work took the cores. */
  cpu_share: z.number().optional(),
});
export interface CpuSpeed {
  trainImgPerS: number;
  evalImgPerS: number;
  /** Compute threads it was timed with (one per core the container may use). */
  cores: number | null;
  /** Other work took much of the processor while timing: the speed is too low (not kept for later). */
  busy: boolean;
}

/** Below this share of the processor the probe got, the machine was busy and its figure is not kept. */
export const BUSY_SHARE = 0.6;
/** A figure from a busy machine is reused only this long, then timed again. */
export const BUSY_KEEP_MS = 60_000;

export interface ProbeEnv {
  docker(): Promise<Dockerode>;
  trainerImage(): Promise<string>;
  user: ContainerUser;
  dataDir: string;
  cacheDir: string;
  namePrefix: string;
  /** As training containers get it (tests: OMP_NUM_THREADS=1), so the probe times what training does. */
  extraEnv: string[];
  /** True while a run trains: a probe then would time a busy machine (and slow the run). */
  busy(): boolean;
}

/** Seconds of timing inside the container (the container's start and imports come on top). */
export const PROBE_BUDGET_S = 4;
/**
 * A probe that has not answered by then is stopped. The time counts the container's start, loading
 * PyTorch and creating the model, not only the steps: on a machine that trains at tens of images a
 * second the steps take seconds, so running out of it almost always means other work held the cores.
 */
export const PROBE_TIMEOUT_MS = 90_000;

/** Why there is no measured speed (shown in the estimate's explanation); `askAgain`: worth timing again soon. */
export class ProbeUnavailable extends Error {
  constructor(
    message: string,
    readonly askAgain = false,
  ) {
    super(message);
  }
}

/** The sentence end for a probe stopped at PROBE_TIMEOUT_MS, with the host's load when it shows why. */
export function probeTimedOutText(load = os.loadavg()[0] ?? 0, cores = os.cpus().length): string {
  const busy = cores > 0 && load >= cores * 0.8 ? ` (load average ${load.toFixed(1)} on ${cores} cores)` : '';
  return (
    `timing did not finish within ${PROBE_TIMEOUT_MS / 1000} seconds, counting the start of its container and ` +
    `loading PyTorch and the model; that usually means the computer was busy with other work${busy}, ` +
    'not that training is this slow'
  );
}

export class CpuSpeedProbe {
  private cache: Map<string, CpuSpeed> | null = null;
  /** Figures timed on a busy machine, by key, with when: not saved, soon timed again. */
  private readonly busyCache = new Map<string, { speed: CpuSpeed; at: number }>();
  private running: Promise<unknown> = Promise.resolve();
  private waiting: { key: string; cancel: () => void } | null = null;
  private readonly inFlight = new Map<string, Promise<CpuSpeed>>();

  constructor(private readonly env: ProbeEnv) {}

  private get file(): string {
    return path.join(this.env.cacheDir, 'cpu-speed.json');
  }

  /** The measured speed of this model, size and batch on this machine; throws ProbeUnavailable. */
  async speed(modelId: ModelId, imgSize: number, batch: number): Promise<CpuSpeed> {
    const docker = await this.env.docker();
    const image = await this.env.trainerImage();
    const engine = await docker
      .info()
      .then((info: { NCPU?: number; ID?: string }) => ({ ncpu: info.NCPU ?? 0, id: info.ID ?? '' }))
      .catch(() => ({ ncpu: 0, id: '' }));
    // The engine's ID tells engines apart: a GPU server's processor is not this computer's, even with as many cores.
    const key = [image, modelId, imgSize, batch, engine.ncpu, engine.id || '?', os.cpus()[0]?.model ?? '?'].join('|');
    const known = (await this.load()).get(key);
    if (known) return known;
    const recent = this.busyCache.get(key);
    if (recent && Date.now() - recent.at < BUSY_KEEP_MS) return recent.speed;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    if (this.env.busy()) {
      throw new ProbeUnavailable(
        'a run is training now, and timing the processor meanwhile would mislead (and slow it)',
      );
    }
    const job = this.enqueue(key, () => this.measure(docker, image, modelId, imgSize, batch)).then(async (speed) => {
      if (speed.busy) {
        this.busyCache.set(key, { speed, at: Date.now() });
      } else {
        (await this.load()).set(key, speed);
        await this.save();
      }
      return speed;
    });
    this.inFlight.set(key, job);
    return job.finally(() => this.inFlight.delete(key));
  }

  /** Runs `task` after the probe running now; a newer request replaces one still waiting. */
  private enqueue(key: string, task: () => Promise<CpuSpeed>): Promise<CpuSpeed> {
    this.waiting?.cancel();
    return new Promise<CpuSpeed>((resolve, reject) => {
      let cancelled = false;
      const me = {
        key,
        cancel: () => {
          cancelled = true;
          reject(new ProbeUnavailable('other settings were chosen meanwhile'));
        },
      };
      this.waiting = me;
      this.running = this.running.then(async () => {
        if (this.waiting === me) this.waiting = null;
        if (cancelled) return;
        await task().then(resolve, reject);
      });
    });
  }

  private async measure(
    docker: Dockerode,
    image: string,
    modelId: ModelId,
    imgSize: number,
    batch: number,
  ): Promise<CpuSpeed> {
    const spec = probeContainerSpec({ ...this.env, image, modelId, imgSize, batch });
    let container: Dockerode.Container | null = null;
    const started = Date.now();
    const timer = setTimeout(() => void container?.kill().catch(() => undefined), PROBE_TIMEOUT_MS);
    const lines: string[] = [];
    try {
      const result = await runToolContainer(
        docker,
        spec,
        (more) => lines.push(...more),
        (c) => (container = c ?? container),
      );
      const parsed = lines
        .map((line) => {
          try {
            return ProbeResult.safeParse(JSON.parse(line));
          } catch {
            return null;
          }
        })
        .find((p) => p?.success);
      if (result.exitCode !== 0 || !parsed?.success) {
        // Stopped by the timer above (a kill for lack of memory also reads 137, but then not in time).
        const timedOut =
          (result.exitCode === 137 || result.exitCode === 143) && Date.now() - started >= PROBE_TIMEOUT_MS;
        if (timedOut) throw new ProbeUnavailable(probeTimedOutText(), true);
        throw new ProbeUnavailable(
          `timing a few training steps failed (${result.error?.message ?? `exit code ${result.exitCode}`})`,
        );
      }
      const r = parsed.data;
      return {
        trainImgPerS: r.train_img_per_s,
        evalImgPerS: r.eval_img_per_s,
        cores: r.threads ?? null,
        busy: r.cpu_share !== undefined && r.cpu_share < BUSY_SHARE,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private async load(): Promise<Map<string, CpuSpeed>> {
    if (this.cache) return this.cache;
    const stored = await fs
      .readFile(this.file, 'utf8')
      .then((text) => z.record(z.string(), z.unknown()).parse(JSON.parse(text)))
      .catch(() => ({}));
    const entry = z.object({
      trainImgPerS: z.number(),
      evalImgPerS: z.number(),
      cores: z.number().nullable(),
      busy: z.literal(false).default(false),
    });
    this.cache = new Map(
      Object.entries(stored).flatMap(([k, v]) => {
        const parsed = entry.safeParse(v);
        return parsed.success ? [[k, parsed.data] as const] : [];
      }),
    );
    return this.cache;
  }

  private async save(): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeJsonAtomic(this.file, Object.fromEntries(this.cache ?? []));
  }
}

/** The probe's container: the training image without network, mounts or weights; the user's uid:gid. */
export function probeContainerSpec(input: {
  image: string;
  modelId: ModelId;
  imgSize: number;
  batch: number;
  user: ContainerUser;
  dataDir: string;
  namePrefix: string;
  extraEnv: string[];
}): Dockerode.ContainerCreateOptions {
  return {
    name: `${input.namePrefix}-probe-${input.modelId}-${input.imgSize}-${Math.random().toString(36).slice(2, 8)}`,
    Image: input.image,
    Cmd: [
      'python',
      '-m',
      'deit_trainer',
      'probe-speed',
      '--model',
      input.modelId,
      '--img-size',
      String(input.imgSize),
      '--batch',
      String(input.batch),
      '--budget-s',
      String(PROBE_BUDGET_S),
    ],
    Env: ['PYTHONUNBUFFERED=1', ...input.extraEnv],
    ...(input.user ? { User: `${input.user.uid}:${input.user.gid}` } : {}),
    WorkingDir: '/tmp',
    Labels: { [LABELS.role]: 'probe-speed', [LABELS.dataDir]: input.dataDir },
    Tty: false,
    HostConfig: { NetworkMode: 'none', ...LOCKED_DOWN },
  };
}
