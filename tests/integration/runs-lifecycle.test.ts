import type Dockerode from 'dockerode';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDocker } from '../helpers/docker-env';
import { metricsLines, RunsHarness, tinyCpuSettings } from '../helpers/runs-harness';
import { MEMORY_SHARE, memoryLimitBytes, PIDS_LIMIT } from '../../electron/core/docker/container-spec';
import { RunFolder } from '../../electron/core/runs/folder/run-folder';
import { predictFolder } from '../../electron/core/runs/predictions/run-predict';
import { folderHash, seedDatasetAndWeights } from '../helpers/runs-seed';
import { tempDir } from '../helpers/runs-temp';
import { testTrainerImage } from '../helpers/runs-trainer-image';

// The run lifecycle against the real Docker Engine and the real trainer image (CPU twin):
// DeiT-Ti at 32 px on a tiny generated dataset, so each run takes seconds.
let docker: Dockerode;
let image: string;
let seed: { dataset: string; weights: string };
let datasetHash: string;
let suite: { dir: string; cleanup: () => void };
const harnesses: RunsHarness[] = [];

beforeAll(async () => {
  docker = await testDocker();
  image = await testTrainerImage(docker);
  suite = tempDir('deit-runs-test-lifecycle-');
  seed = await seedDatasetAndWeights(docker, image, path.join(suite.dir, 'seed'), {
    model: 'deit_tiny_patch16_224',
    classes: 2,
    perClass: 16,
  });
  datasetHash = folderHash(seed.dataset);
});

afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
});

afterAll(() => {
  // The dataset is mounted read-only into every run: not one byte may have changed.
  if (seed) expect(folderHash(seed.dataset)).toBe(datasetHash);
  suite?.cleanup();
});

function harness(): RunsHarness {
  const h = new RunsHarness(docker, fs.mkdtempSync(path.join(suite.dir, 'data-')), image);
  h.seedWeights(seed.weights);
  harnesses.push(h);
  return h;
}

describe('a run in a container', () => {
  it('streams events, finishes, leaves its run folder, and ran locked down as this user', async () => {
    const h = harness();
    const created = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 2 }));
    expect(['queued', 'preparing']).toContain(created.status);
    const id = created.id;
    expect(id).toMatch(/^\d{8}-\d{4}-deit-tiny-[a-z2-9]{4}$/);

    await h.waitStatus(id, ['running', 'finished', 'failed'], 120_000);
    const [info] = await h.containers(id);
    if (info) {
      const inspected = await docker.getContainer(info.Id).inspect();
      expect(inspected.Config.User).toBe(`${process.getuid!()}:${process.getgid!()}`);
      expect(inspected.HostConfig.NetworkMode).toBe('none');
      expect(inspected.HostConfig.CapDrop).toEqual(['ALL']);
      expect(inspected.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
      expect(inspected.HostConfig.AutoRemove).toBe(false);
      expect(inspected.HostConfig.DeviceRequests ?? []).toEqual([]);
      // Limits: 3/4 of the RAM (the harness passes none, so this machine's) and 4096 processes.
      expect(inspected.HostConfig.Memory).toBe(memoryLimitBytes(os.totalmem(), MEMORY_SHARE.train));
      expect(inspected.HostConfig.PidsLimit).toBe(PIDS_LIMIT);
      const data = inspected.Mounts.find((m) => m.Destination === '/data');
      expect(data).toMatchObject({ Source: seed.dataset, RW: false });
      // It writes only the run's output/; the app's config.json is read-only, the run folder not mounted.
      const runDir = path.join(h.paths.runsDir, id);
      const mount = (to: string) => inspected.Mounts.find((m) => m.Destination === to);
      expect(mount('/run')).toMatchObject({ Source: path.join(runDir, 'output'), RW: true });
      expect(mount('/config/config.json')).toMatchObject({ Source: path.join(runDir, 'config.json'), RW: false });
      expect(inspected.Mounts.filter((m) => m.Source === runDir)).toEqual([]);
      expect(inspected.Config.Labels).toMatchObject({ 'deit-studio.run': id, 'deit-studio.role': 'train' });
    }

    const done = await h.waitStatus(id, ['finished', 'failed'], 240_000);
    expect(done.failure).toBeNull();
    expect(done).toMatchObject({ status: 'finished', epochsDone: 2, epochs: 2, resumable: false });
    expect(done.bestValTop1).toEqual(expect.any(Number));
    expect(done.durationS).toBeGreaterThan(0);

    // Every line of metrics.jsonl reached the UI once, in order, as run.event with its line number.
    const runDir = path.join(h.paths.runsDir, id);
    const lines = metricsLines(runDir);
    const indices = (h.events.get(id) ?? []).map((e) => e.index);
    expect(indices).toEqual(lines.map((_, i) => i));
    const types = (h.events.get(id) ?? []).map((e) => e.event.type);
    expect(types).toContain('run_started');
    expect(types).toContain('epoch');
    expect(types[types.length - 1]).toBe('finished');

    // Statuses went out in lifecycle order.
    const statuses = h.updates.filter((u) => u.id === id).map((u) => u.status);
    const order = [...new Set(statuses)];
    expect(order).toEqual(['preparing', 'running', 'finished']);

    for (const file of ['run.json', 'state.json', 'config.json']) {
      expect(fs.existsSync(path.join(runDir, file)), file).toBe(true); // the app's, in the root
    }
    for (const file of [
      'resolved-config.json',
      'metrics.jsonl',
      'train.log',
      'checkpoints/last.pt',
      'checkpoints/best.pt',
      'eval/metrics.json',
      'eval/misclassified.json',
      'report.md',
    ]) {
      expect(fs.existsSync(path.join(runDir, 'output', file)), file).toBe(true); // the trainer's, in output/
    }
    // Written by the trainer as this user, not as root-by-default.
    expect(fs.statSync(path.join(runDir, 'output', 'metrics.jsonl')).uid).toBe(process.getuid!());
    // A finished run's own caches (decoded images, compile) are freed: only a resume would reuse them.
    expect(fs.existsSync(path.join(runDir, 'output', '.cache'))).toBe(false);
    const state = JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ status: 'finished', exitCode: 0, oomKilled: false, attempts: 1 });
    const record = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    expect(record.image).toMatchObject({ tag: image, digest: expect.stringMatching(/^sha256:/) });

    // The container was removed after its exit code and logs were read.
    expect(await h.containers(id)).toEqual([]);

    // History rebuilt from the folder agrees with what was streamed.
    const detail = await (async () => {
      await h.service.close(); // a fresh service reads only the folder
      const fresh = new RunsHarness(docker, h.paths.dataDir, image);
      harnesses.push(fresh);
      return { fresh, list: await fresh.service.list() };
    })();
    expect(detail.list).toHaveLength(1);
    expect(detail.list[0]).toMatchObject({ id, status: 'finished', epochsDone: 2 });
    expect(h.logs.get(id)?.length ?? 0).toBeGreaterThan(0);

    // Its model classifies a folder of new images (with a damaged one and a note), leaving it untouched.
    const newImages = path.join(suite.dir, 'new images');
    const classes = fs.readdirSync(seed.dataset).sort();
    for (const name of classes) {
      fs.cpSync(path.join(seed.dataset, name), path.join(newImages, `from ${name}`), { recursive: true });
    }
    fs.writeFileSync(path.join(newImages, 'damaged.jpg'), 'not really a JPEG');
    fs.writeFileSync(path.join(newImages, 'notes.txt'), 'not an image');
    const imageCount = classes.reduce((n, name) => n + fs.readdirSync(path.join(seed.dataset, name)).length, 0);
    const before = folderHash(newImages);
    const predictions = await predictFolder(detail.fresh.service.env, new RunFolder(h.paths.runsDir, id), newImages);
    expect(folderHash(newImages)).toBe(before);
    expect(predictions).toMatchObject({ folder: newImages, total: imageCount + 1, classified: imageCount });
    expect(predictions.byClass.reduce((n, c) => n + c.count, 0)).toBe(imageCount);
    for (const row of predictions.rows.filter((r) => r.error === null)) {
      expect(row.file).toMatch(/^from class_\d+\//);
      expect(classes).toContain(row.predicted);
      expect(row.topK[0]).toEqual({ label: row.predicted, probability: row.confidence });
    }
    expect(predictions.rows.find((r) => r.file === 'damaged.jpg')).toMatchObject({ predicted: null });
    expect(path.dirname(predictions.csvPath)).toBe(path.join(runDir, 'output', 'predictions'));
    expect(fs.statSync(predictions.csvPath).uid).toBe(process.getuid!());
    expect(await h.containers(id)).toEqual([]); // the prediction container is gone too
  });

  it('stops gracefully (resumable), then resumes from the checkpoint to the end', async () => {
    const h = harness();
    const { id } = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 2 }));
    await h.waitEvent(id, (e) => e.type === 'step', 180_000);
    const stopping = await h.service.stop(id);
    expect(stopping.status).toBe('stopping');
    const stopped = await h.waitStatus(id, ['stopped', 'failed', 'finished'], 60_000);
    expect(stopped).toMatchObject({ status: 'stopped', resumable: true, failure: null });
    expect(stopped.epochsDone).toBeLessThan(2);
    expect(await h.containers(id)).toEqual([]);
    const stopEvent = (h.events.get(id) ?? []).find((e) => e.event.type === 'stopped');
    expect(stopEvent?.event).toMatchObject({ type: 'stopped', resumable: true });

    const since = h.updates.length;
    const resumed = await h.service.resume(id);
    expect(['queued', 'preparing']).toContain(resumed.status);
    const done = await h.waitStatus(id, ['finished', 'failed', 'stopped'], 240_000, since);
    expect(done.failure).toBeNull();
    expect(done).toMatchObject({ status: 'finished', epochsDone: 2 });
    const runDir = path.join(h.paths.runsDir, id);
    const events = h.events.get(id) ?? [];
    // Both attempts' events, each line once, in order.
    expect(events.map((e) => e.index)).toEqual(metricsLines(runDir).map((_, i) => i));
    const starts = events.filter((e) => e.event.type === 'run_started').map((e) => e.event);
    expect(starts.map((e) => (e as { resumed: boolean }).resumed)).toEqual([false, true]);
    const state = JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8'));
    expect(state.attempts).toBe(2);
  });

  it('classifies a container killed from outside, and then starts the queued run by itself', async () => {
    const h = harness();
    const first = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 50 }));
    const second = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 1 }));
    expect(second.status).toBe('queued');
    await h.waitEvent(first.id, (e) => e.type === 'checkpoint' && e.kind === 'last', 180_000);
    expect((await h.service.summary(second.id)).status).toBe('queued');
    const [info] = await h.containers(first.id);
    await docker.getContainer(info!.Id).kill(); // `docker kill`: SIGKILL, nobody asked the app
    const killed = await h.waitStatus(first.id, ['failed', 'stopped', 'finished'], 60_000);
    expect(killed).toMatchObject({ status: 'failed', resumable: true, failure: { cause: 'killed' } });

    const next = await h.waitStatus(second.id, ['finished', 'failed'], 240_000);
    expect(next.failure).toBeNull();
    expect(next.status).toBe('finished');
    expect(Date.parse(next.startedAt!)).toBeGreaterThanOrEqual(Date.parse(killed.endedAt!));
  });

  it('a GPU run on an engine without the NVIDIA toolkit fails with that reason and a CPU fallback', async () => {
    const h = harness();
    const { id } = await h.service.create(tinyCpuSettings(seed.dataset, { device: 'gpu' }));
    const failed = await h.waitStatus(id, ['failed', 'running', 'finished'], 60_000);
    expect(failed.failure).toMatchObject({
      cause: 'gpu_toolkit_missing',
      action: { settingsPatch: { device: 'cpu' } },
    });
    expect(failed.failure!.detail).toContain('could not select device driver');
    expect(failed.resumable).toBe(true); // nothing ran: once the toolkit is installed, "resume" tries again
    expect(await h.containers(id)).toEqual([]);
  });

  it('fetches missing weights in a separate step first, and says so plainly when it cannot', async () => {
    // No seeded weights, and the fetch step gets no network here: it must run, and fail as "weights missing".
    const h = new RunsHarness(docker, fs.mkdtempSync(path.join(suite.dir, 'data-')), image);
    harnesses.push(h);
    const { id } = await h.service.create(tinyCpuSettings(seed.dataset));
    const failed = await h.waitStatus(id, ['failed', 'running', 'finished'], 120_000);
    expect(failed.failure?.cause).toBe('weights_missing');
    expect(failed.failure?.fix).toEqual(expect.any(String));
    expect(await h.containers(id)).toEqual([]);
    expect(fs.existsSync(path.join(h.paths.runsDir, id, 'output', 'metrics.jsonl'))).toBe(false);
    expect(fs.existsSync(path.join(h.paths.runsDir, id, 'metrics.jsonl'))).toBe(false);
  });
});
