import os from 'node:os';
import type { EnvironmentCheck, EnvironmentReport } from '../../contract';
import type { ConnectedDocker } from '../docker/connect';
import type { FixContext } from '../docker/docker-problem-fixes';
import type { GpuProbeResult } from '../docker/gpu-probe';
import type { ImageDiskNeed } from '../images/image-service';
import { checkDocker } from './checks/check-docker';
import { checkDriver } from './checks/check-driver';
import { checkGpuContainer, type ProbeSkip } from './checks/check-gpu-container';
import { checkDisk, checkMemory } from './checks/check-resources';
import type { HostPlatform } from './host-platform';
import type { NvidiaSmi } from './nvidia-smi';
import { readNvidiaDriver } from './read-nvidia-driver';
import { checkRemoteEngine } from './remote-doctor';
import { freeDisk } from './system-summary';

/** Everything the doctor looks at, injected so tests use a fake nvidia-smi and the real test daemon. */
export interface DoctorDeps {
  host: () => Promise<HostPlatform>;
  smi: NvidiaSmi;
  /** /proc/driver/nvidia/version (a test folder in tests). */
  procDriverPath?: string;
  findDocker: () => Promise<ConnectedDocker>;
  probe: (connected: ConnectedDocker) => Promise<GpuProbeResult>;
  imageDiskNeed: () => Promise<ImageDiskNeed>;
  dataDir: string;
  totalMemoryBytes?: () => number;
  freeBytes?: (dir: string) => Promise<number | null>;
  now: () => Date;
  /** The engine the report describes; absent: this computer. A server's engine is checked by remote-doctor.ts. */
  engine?: () => EngineView;
  /** Free bytes of a server's disk holding `dir` (df over SSH); rejects with the reason when it cannot tell. */
  serverFreeBytes?: (dir: string) => Promise<number | null>;
}

/** Which engine a report describes (EnvironmentReport.engine). */
export interface EngineView {
  id: string;
  kind: 'local' | 'ssh';
  label: string;
}

/**
 * The environment doctor: driver, Docker, GPU access from containers (a real probe container), disk
 * and memory, each with a status, a plain message and the fix for this OS; and whether training can
 * run on the GPU, or only on the CPU (slow).
 */
export class EnvironmentDoctor {
  private running: Promise<EnvironmentReport> | null = null;
  /** Bumped when the engine changes: a check begun before never answers a call made after. */
  private generation = 0;
  private runningGeneration = -1;
  /** The last finished check's report (classification asks whether containers can use a GPU). */
  latest: EnvironmentReport | null = null;

  constructor(private readonly deps: DoctorDeps) {}

  /** Runs every check; a second call while one runs (for the same engine) shares its result. */
  check(): Promise<EnvironmentReport> {
    if (this.running && this.runningGeneration === this.generation) return this.running;
    const generation = this.generation;
    // One check at a time (each may start a probe container): a new one waits for the old to end.
    const started = this.running ? this.running.catch(() => undefined).then(() => this.run()) : this.run();
    const run = started.then((report) => {
      if (generation === this.generation) this.latest = report;
      return report;
    });
    this.running = run;
    this.runningGeneration = generation;
    run.then(
      () => this.running === run && (this.running = null),
      () => this.running === run && (this.running = null),
    );
    return run;
  }

  /** The engine changed: forget the last report; the next check() starts afresh on the new engine. */
  invalidate(): void {
    this.generation += 1;
    this.latest = null;
  }

  private async run(): Promise<EnvironmentReport> {
    const { deps } = this;
    const engine = deps.engine?.() ?? null;
    if (engine && engine.kind !== 'local') return checkRemoteEngine(deps, engine);
    const host = await deps.host();
    const [driver, connected] = await Promise.all([
      readNvidiaDriver(deps.smi, deps.procDriverPath),
      deps.findDocker().catch((error: unknown) => error),
    ]);
    const driverCheck = checkDriver(driver, host);
    const dockerCheck = checkDocker(connected);
    const docker = dockerCheck.status === 'ok' ? (connected as ConnectedDocker) : null;
    const ctx: FixContext = { host, flavor: docker?.flavor ?? 'unknown' };

    let probe: GpuProbeResult | ProbeSkip = 'no-docker';
    if (host.os === 'darwin') probe = 'mac';
    else if (driverCheck.status === 'blocking' && driver.state !== 'ok') probe = 'no-driver';
    else if (docker) probe = await deps.probe(docker);
    const gpuCheck = checkGpuContainer(probe, ctx);

    const freeBytes = deps.freeBytes ?? ((dir: string) => freeDisk(dir).then((d) => d.freeBytes));
    const [imageNeed, dataFree] = await Promise.all([
      docker ? deps.imageDiskNeed().catch(() => null) : Promise.resolve(null),
      freeBytes(deps.dataDir),
    ]);
    const checks: EnvironmentCheck[] = [
      driverCheck,
      dockerCheck,
      gpuCheck,
      checkDisk(imageNeed, { dir: deps.dataDir, freeBytes: dataFree }),
      checkMemory(
        (deps.totalMemoryBytes ?? os.totalmem)(),
        docker?.engine.memTotalBytes ?? null,
        docker?.flavor === 'desktop',
      ),
    ];
    // A probe failure we do not recognise ("warning") does not forbid trying the GPU: the run itself
    // will then fail with a classified error. The CPU stays on offer until the GPU is proven.
    const driverUsable = driverCheck.status === 'ok' || driverCheck.status === 'warning';
    const gpuReady = driverUsable && (gpuCheck.status === 'ok' || gpuCheck.status === 'warning');
    const report: EnvironmentReport = {
      checkedAt: deps.now().toISOString(),
      checks,
      gpuReady,
      cpuFallback: dockerCheck.status === 'ok' && gpuCheck.status !== 'ok',
    };
    if (engine) report.engine = engine;
    if (driver.state === 'ok') {
      report.gpus = driver.gpus.map(({ index, name, memoryMiB, uuid, driverVersion }) => ({
        index,
        name,
        memoryMiB,
        uuid,
        driverVersion,
      }));
    }
    return report;
  }
}
