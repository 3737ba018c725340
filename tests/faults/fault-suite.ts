import type Dockerode from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { testDocker } from '../helpers/docker-env';
import { RunsHarness } from '../helpers/runs-harness';
import { folderHash, seedDatasetAndWeights } from '../helpers/runs-seed';
import { tempDir } from '../helpers/runs-temp';
import { testTrainerImage } from '../helpers/runs-trainer-image';
import { startDaemon } from '../helpers/private-daemon';
import { FAULT_DATA } from './fault-kit';

/**
 * One fault file's fixtures: the engine, the trainer image (shared with the other stages: built once
 * per trainer version), a seeded dataset and weights, and harnesses that are closed afterwards.
 *
 *   const suite = new FaultSuite('daemon');   beforeAll(() => suite.setUp());   afterAll(() => suite.tearDown());
 *   const h = suite.harness();
 */
export class FaultSuite {
  docker!: Dockerode;
  image!: string;
  seed!: { dataset: string; weights: string };
  dir!: string;
  private cleanup: () => void = () => undefined;
  private datasetHash = '';
  private readonly harnesses: RunsHarness[] = [];

  constructor(private readonly name: string) {}

  async setUp(): Promise<void> {
    await startDaemon(); // a case of an earlier file may have left it down after a failure
    this.docker = await testDocker();
    this.image = await testTrainerImage(this.docker);
    const temp = tempDir(`deit-faults-test-${this.name}-`);
    this.dir = temp.dir;
    this.cleanup = temp.cleanup;
    fs.chmodSync(this.dir, 0o755);
    this.seed = await seedDatasetAndWeights(this.docker, this.image, path.join(this.dir, 'seed'), FAULT_DATA);
    this.datasetHash = folderHash(this.seed.dataset);
  }

  /** A run service on a new data folder (or `dataDir`) with the seeded weights. */
  harness(options: ConstructorParameters<typeof RunsHarness>[3] = {}, dataDir?: string): RunsHarness {
    const dir = dataDir ?? fs.mkdtempSync(path.join(this.dir, 'data-'));
    const h = new RunsHarness(this.docker, dir, this.image, options);
    if (!fs.existsSync(h.paths.weightsDir)) h.seedWeights(this.seed.weights);
    this.harnesses.push(h);
    return h;
  }

  /** Closes a harness early (as the app quitting would), keeping its run folders. */
  async close(h: RunsHarness): Promise<void> {
    await h.service.close();
  }

  /** Leaves the engine running, removes every container the cases left, checks the dataset was never written. */
  async tearDown(): Promise<string | null> {
    await startDaemon(); // a failed case must not leave it down
    for (const h of this.harnesses.splice(0)) await h.close().catch(() => undefined);
    const unchanged = this.seed ? folderHash(this.seed.dataset) === this.datasetHash : true;
    if (process.env.DEIT_FAULTS_KEEP) console.log(`[faults] kept ${this.dir} (DEIT_FAULTS_KEEP)`);
    else this.cleanup();
    return unchanged ? null : 'the dataset folder changed';
  }
}

/** Waits until the run has logged a step after its first `last` checkpoint (mid-epoch, past a checkpoint). */
export async function pastFirstCheckpoint(h: RunsHarness, id: string, timeoutMs = 240_000): Promise<number> {
  const checkpoint = (await h.waitEvent(id, (e) => e.type === 'checkpoint' && e.kind === 'last', timeoutMs)) as {
    global_step?: number;
  };
  const at = checkpoint.global_step ?? 0;
  await h.waitEvent(id, (e) => e.type === 'step' && e.global_step > at, timeoutMs);
  return at;
}
