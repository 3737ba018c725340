import type Dockerode from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import type { RunSettingsInput, RunSummary, TrainerEvent } from '../../electron/contract';
import { RunSettings } from '../../electron/contract';
import { EventBus } from '../../electron/core/event-bus';
import { studioPaths, type StudioPaths } from '../../electron/core/paths';
import { LABELS } from '../../electron/core/docker/container-spec';
import { RunService, type RunServiceOptions } from '../../electron/core/runs/lifecycle/run-service';
import { waitFor } from './runs-temp';

/** Container names of the runs tests (other suites share the daemon). */
export const TEST_PREFIX = 'deit-runs-test';

/** A run service on a temp data folder with everything it published recorded. */
export class RunsHarness {
  readonly bus = new EventBus();
  readonly paths: StudioPaths;
  readonly service: RunService;
  readonly events = new Map<string, Array<{ index: number; event: TrainerEvent }>>();
  readonly updates: RunSummary[] = [];
  readonly logs = new Map<string, string[]>();

  constructor(
    readonly docker: Dockerode,
    dataDir: string,
    image: string,
    options: Partial<RunServiceOptions> = {},
  ) {
    this.paths = studioPaths(dataDir);
    this.bus.on('run.event', ({ runId, index, event }) => {
      const list = this.events.get(runId) ?? [];
      list.push({ index, event });
      this.events.set(runId, list);
    });
    this.bus.on('run.updated', (summary) => this.updates.push(summary));
    this.bus.on('run.log', ({ runId, lines }) => this.logs.set(runId, [...(this.logs.get(runId) ?? []), ...lines]));
    this.service = new RunService({
      docker: async () => docker,
      paths: this.paths,
      bus: this.bus,
      trainerImage: async () => image,
      namePrefix: TEST_PREFIX,
      fetchNetworkMode: 'none',
      stopTimeoutMs: 30_000,
      pollMs: 100,
      // One CPU thread per container: OpenMP spinning threads crawl on a busy 2-core machine.
      extraEnv: ['OMP_NUM_THREADS=1'],
      ...options,
    });
  }

  /** Seeds <dataDir>/weights with a copy of the fake hub cache (its relative links kept). */
  seedWeights(from: string): void {
    fs.cpSync(from, this.paths.weightsDir, { recursive: true, verbatimSymlinks: true });
  }

  /**
   * Waits until the latest published `run.updated` of the run (what a UI would see), among those
   * published after update number `since`, has one of the statuses.
   */
  async waitStatus(id: string, statuses: RunSummary['status'][], timeoutMs: number, since = 0): Promise<RunSummary> {
    return waitFor(
      () => {
        const mine = this.updates.slice(since).filter((u) => u.id === id);
        const last = mine[mine.length - 1];
        return last && statuses.includes(last.status) ? last : undefined;
      },
      timeoutMs,
      `run ${id} to be ${statuses.join(' or ')}`,
      50,
    );
  }

  /** Waits for a trainer event of the run matching `match`. */
  async waitEvent(id: string, match: (event: TrainerEvent) => boolean, timeoutMs: number): Promise<TrainerEvent> {
    return waitFor(
      () => this.events.get(id)?.find(({ event }) => match(event))?.event,
      timeoutMs,
      `an event of run ${id}`,
    );
  }

  /** The run's containers (any state), by the data-folder label. */
  async containers(id?: string): Promise<Dockerode.ContainerInfo[]> {
    const label = [`${LABELS.dataDir}=${this.paths.dataDir}`];
    if (id) label.push(`${LABELS.run}=${id}`);
    return this.docker.listContainers({ all: true, filters: { label } });
  }

  /** Closes the service and removes every container it left (a failed test must not leak). */
  async close(): Promise<void> {
    await this.service.close();
    for (const info of await this.containers()) {
      await this.docker
        .getContainer(info.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
  }
}

/** Settings of a tiny CPU run that finishes in seconds: DeiT-Ti at 32 px. */
export function tinyCpuSettings(datasetPath: string, patch: Partial<RunSettingsInput> = {}): RunSettings {
  return RunSettings.parse({
    datasetPath,
    modelId: 'deit_tiny_patch16_224',
    imgSize: 32,
    epochs: 2,
    batchSize: 8,
    valRatio: 0.25,
    device: 'cpu',
    compile: false,
    augment: 'light',
    ...patch,
  });
}

/** Lines of a run's metrics.jsonl (in output/; a run from before output/ has it in its folder). */
export function metricsLines(runDir: string): string[] {
  const inOutput = path.join(runDir, 'output', 'metrics.jsonl');
  const text = fs.readFileSync(fs.existsSync(inOutput) ? inOutput : path.join(runDir, 'metrics.jsonl'), 'utf8');
  return text.split('\n').slice(0, -1);
}
