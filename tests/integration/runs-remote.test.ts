import type Dockerode from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEntry } from '../../electron/contract';
import { testDocker } from '../helpers/docker-env';
import { droppableDocker } from '../helpers/droppable-docker';
import { metricsLines, RunsHarness, TEST_PREFIX, tinyCpuSettings } from '../helpers/runs-harness';
import { folderHash, seedDatasetAndWeights } from '../helpers/runs-seed';
import { tempDir, waitFor } from '../helpers/runs-temp';
import { testTrainerImage } from '../helpers/runs-trainer-image';
import { datasetContent } from '../../electron/core/runs/place/dataset-hash';
import { RunFolder } from '../../electron/core/runs/folder/run-folder';
import { predictFolder } from '../../electron/core/runs/predictions/run-predict';
import { volumeNames } from '../../electron/core/runs/place/volume-containers';
import { removeTestVolumes, runVolumeFile, seedWeightsVolume } from '../helpers/remote-volumes';

// Runs on a server's engine (the volume place, docs/engine-remote.md) against the real test engine:
// a run whose engine entry is an SSH server gets its dataset sent into a volume, writes a volume, and
// its files are mirrored into the local run folder. The client is one whose connections the test can
// cut (droppable-docker.ts), as a dropped SSH connection would.
const SERVER: EngineEntry = {
  id: 'ssh-remote01',
  kind: 'ssh',
  label: 'tester@gpu.test',
  target: { user: 'tester', host: 'gpu.test', port: 22 },
  hostKey: { algorithm: 'ssh-ed25519', fingerprint: `SHA256:${'A'.repeat(43)}` },
};
const names = volumeNames(TEST_PREFIX);

let docker: Dockerode;
let image: string;
let seed: { dataset: string; weights: string };
let datasetHash: string;
let suite: { dir: string; cleanup: () => void };
const harnesses: RunsHarness[] = [];
const engine = droppableDocker();

beforeAll(async () => {
  docker = await testDocker();
  image = await testTrainerImage(docker);
  suite = tempDir('deit-runs-test-remote-');
  seed = await seedDatasetAndWeights(docker, image, path.join(suite.dir, 'seed'), {
    model: 'deit_tiny_patch16_224',
    classes: 2,
    perClass: 16,
  });
  datasetHash = folderHash(seed.dataset);
  // A fresh server: no dataset volume from an earlier test run; the weights are in its weights volume.
  const content = await datasetContent(seed.dataset, path.join(suite.dir, 'hashes.json'));
  await docker
    .getVolume(names.dataset(content.hash))
    .remove()
    .catch(() => undefined);
  await seedWeightsVolume(volumeEnv(), seed.weights);
});

afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
});

afterAll(async () => {
  if (seed) expect(folderHash(seed.dataset)).toBe(datasetHash); // never written
  if (docker) await removeTestVolumes(docker, TEST_PREFIX);
  suite?.cleanup();
});

function harness(dataDir = fs.mkdtempSync(path.join(suite.dir, 'data-'))): RunsHarness {
  const h = new RunsHarness(docker, dataDir, image, {
    docker: async () => engine.docker,
    currentEngine: () => SERVER,
    engineFor: async (id) => {
      if (id !== SERVER.id) throw new Error(`unknown engine ${id}`);
      if (engine.down) throw new Error('connect ECONNREFUSED: the server does not answer');
      return { entry: SERVER, docker: engine.docker };
    },
  });
  harnesses.push(h);
  return h;
}

const volumeEnv = () => ({ docker, image, namePrefix: TEST_PREFIX, dataDir: suite.dir });
const logOf = (h: RunsHarness, id: string) => (h.logs.get(id) ?? []).join('\n');

describe('a run on a server (volume place)', () => {
  it('sends the dataset once, streams live metrics into the local folder, and copies the results back', async () => {
    const h = harness();
    const { id } = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 2 }));
    expect((await h.service.summary(id)).engine).toEqual({ id: SERVER.id, label: SERVER.label, kind: 'ssh' });

    await h.waitStatus(id, ['running', 'finished', 'failed'], 180_000);
    const [info] = await h.containers(id);
    if (info) {
      const inspected = await docker.getContainer(info.Id).inspect();
      const mount = (to: string) => inspected.Mounts.find((m) => m.Destination === to);
      expect(mount('/data')).toMatchObject({ Type: 'volume', RW: false });
      expect(mount('/data')?.Name).toMatch(new RegExp(`^${TEST_PREFIX}-data-[0-9a-f]{16}$`));
      expect(mount('/run')).toMatchObject({ Type: 'volume', Name: names.run(id), RW: true });
      expect(mount('/weights')).toMatchObject({ Type: 'volume', Name: names.weights, RW: false });
      expect(inspected.Mounts.filter((m) => m.Type === 'bind')).toEqual([]); // nothing of this computer
      expect(inspected.HostConfig.NetworkMode).toBe('none');
    }
    const done = await h.waitStatus(id, ['finished', 'failed'], 240_000);
    expect(done.failure).toBeNull();
    expect(done).toMatchObject({ status: 'finished', epochsDone: 2 });
    expect(logOf(h, id)).toMatch(/Sent the dataset to tester@gpu\.test: [\d.]+ MB in 32 files/);

    // Live events came from the local copy, each line once, in order.
    const runDir = path.join(h.paths.runsDir, id);
    const lines = metricsLines(runDir);
    expect((h.events.get(id) ?? []).map((e) => e.index)).toEqual(lines.map((_, i) => i));
    expect(JSON.parse(lines[lines.length - 1]!).type).toBe('finished');
    for (const file of [
      'resolved-config.json',
      'train.log',
      'report.md',
      'eval/metrics.json',
      'eval/misclassified.json',
      'checkpoints/best.pt',
      'split.json',
    ]) {
      expect(fs.existsSync(path.join(runDir, 'output', file)), file).toBe(true);
    }
    expect(fs.existsSync(path.join(runDir, 'output', 'checkpoints', 'last.pt'))).toBe(false); // stays there
    expect(fs.readFileSync(path.join(runDir, 'output', 'report.md'), 'utf8')).toContain('deit_tiny_patch16_224');
    // The run's volume is gone once its results are here; the dataset's stays for the next run.
    await expect(docker.getVolume(names.run(id)).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await h.containers(id)).toEqual([]);

    // Not on a server yet, said plainly: starting from this run's model, trying it on local images.
    await expect(h.service.create(tinyCpuSettings(seed.dataset, { initFromRunId: id }))).rejects.toThrow(
      /does not work on tester@gpu\.test yet/,
    );
    await expect(predictFolder(h.service.env, new RunFolder(h.paths.runsDir, id), seed.dataset)).rejects.toThrow(
      /does not work on tester@gpu\.test yet/,
    );

    // The same data again: nothing is sent.
    const second = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 1 }));
    const again = await h.waitStatus(second.id, ['finished', 'failed'], 240_000);
    expect(again.failure).toBeNull();
    expect(logOf(h, second.id)).toContain('The dataset is on tester@gpu.test already (32 files');
    expect(logOf(h, second.id)).not.toContain('Sent the dataset');
  });

  it('a dropped connection mid-run: the mirror reconnects, and the local metrics equal the server’s byte for byte', async () => {
    const h = harness();
    const { id } = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 500 }));
    await h.waitEvent(id, (e) => e.type === 'step', 240_000);
    const before = h.events.get(id)?.length ?? 0;
    engine.drop(4000); // every connection cut, none possible for 4 s
    await waitFor(() => logOf(h, id).includes('Reconnecting to tester@gpu.test'), 30_000, 'the reconnect message');
    // Events keep arriving after the engine answers again.
    await waitFor(() => !engine.down && (h.events.get(id)?.length ?? 0) > before + 5, 120_000, 'events after it');
    expect((await h.service.summary(id)).status).toBe('running'); // never failed meanwhile
    await h.service.stop(id);
    const stopped = await h.waitStatus(id, ['stopped', 'failed', 'finished'], 120_000);
    expect(stopped).toMatchObject({ status: 'stopped', resumable: true });

    // Stopped: the run's volume stays (to resume from); its metrics.jsonl is the local one exactly.
    const runDir = path.join(h.paths.runsDir, id);
    const local = fs.readFileSync(path.join(runDir, 'output', 'metrics.jsonl'));
    expect((await runVolumeFile(volumeEnv(), id, 'metrics.jsonl')).equals(local)).toBe(true);
    expect((h.events.get(id) ?? []).map((e) => e.index)).toEqual(metricsLines(runDir).map((_, i) => i));

    // Deleting the run removes its volume on the server too.
    await h.service.delete(id);
    await expect(docker.getVolume(names.run(id)).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('stops on the server and resumes there from the checkpoint in its volume', async () => {
    const h = harness();
    const { id } = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 2 }));
    await h.waitEvent(id, (e) => e.type === 'step', 240_000);
    await h.service.stop(id);
    const stopped = await h.waitStatus(id, ['stopped', 'failed', 'finished'], 120_000);
    expect(stopped).toMatchObject({ status: 'stopped', resumable: true });
    const since = h.updates.length;
    await h.service.resume(id);
    const done = await h.waitStatus(id, ['finished', 'failed', 'stopped'], 300_000, since);
    expect(done.failure).toBeNull();
    expect(done).toMatchObject({ status: 'finished', epochsDone: 2 });
    const runDir = path.join(h.paths.runsDir, id);
    const events = h.events.get(id) ?? [];
    expect(events.map((e) => e.index)).toEqual(metricsLines(runDir).map((_, i) => i));
    const starts = events.filter((e) => e.event.type === 'run_started').map((e) => e.event);
    expect(starts.map((e) => (e as { resumed: boolean }).resumed)).toEqual([false, true]);
    await expect(docker.getVolume(names.run(id)).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('the app closed mid-run: a new service finds the run on its engine and follows it to the end', async () => {
    const h = harness();
    const { id } = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 3 }));
    await h.waitEvent(id, (e) => e.type === 'step', 240_000);
    await h.service.close(); // the container keeps running on the server
    const fresh = harness(h.paths.dataDir);
    await fresh.service.start();
    const done = await fresh.waitStatus(id, ['finished', 'failed'], 240_000);
    expect(done.failure).toBeNull();
    expect(done).toMatchObject({ status: 'finished', epochsDone: 3 });
    const runDir = path.join(h.paths.runsDir, id);
    const lines = metricsLines(runDir);
    expect(lines.filter((l) => JSON.parse(l).type === 'run_started')).toHaveLength(1); // nothing doubled
    expect(lines.filter((l) => JSON.parse(l).type === 'epoch')).toHaveLength(3); // nothing lost
    expect(fs.existsSync(path.join(runDir, 'output', 'eval', 'metrics.json'))).toBe(true);
  });
});
