import type Dockerode from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionProgress } from '../../electron/contract';
import { listPredictions } from '../../electron/core/runs/predictions/prediction-history';
import { PredictionJobs } from '../../electron/core/runs/predictions/prediction-jobs';
import { RunFolder } from '../../electron/core/runs/folder/run-folder';
import { predictFolder } from '../../electron/core/runs/predictions/run-predict';
import { testDocker } from '../helpers/docker-env';
import { RunsHarness } from '../helpers/runs-harness';
import { folderHash } from '../helpers/runs-seed';
import { tempDir } from '../helpers/runs-temp';
import { testTrainerImage } from '../helpers/runs-trainer-image';

// "Try the model" in its real container: progress as it classifies, Cancel that leaves no CSV, and
// the earlier classifications listed. The model is an untrained DeiT-Ti at 32 px saved as the trainer
// saves best.pt (what it answers does not matter here, only the counting), made inside the image.
let docker: Dockerode;
let image: string;
let suite: { dir: string; cleanup: () => void };
let h: RunsHarness;
let run: RunFolder;
let images: string;
const COUNT = 600;

const SEED = `
import os, sys, timm
from PIL import Image
from deit_trainer.checkpoint import save_checkpoint
model = timm.create_model("deit_tiny_patch16_224", pretrained=False, num_classes=2, img_size=32)
save_checkpoint("/out/run/checkpoints/best.pt", {"epoch": 1, "model_name": "deit_tiny_patch16_224",
                "classes": ["cat", "dog"], "img_size": 32, "model": model.state_dict()})
for i in range(int(sys.argv[1])):
    Image.new("RGB", (48, 40), (i % 256, 90, 200 - i % 200)).save(f"/out/images/{i:04d}.png")
`;

async function seed(out: string): Promise<void> {
  fs.mkdirSync(path.join(out, 'run', 'checkpoints'), { recursive: true });
  fs.mkdirSync(path.join(out, 'images'), { recursive: true });
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['python', '-c', SEED, String(COUNT)],
    User: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
    Labels: { 'deit-runs-test': 'seed' },
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'bind', Source: out, Target: '/out', ReadOnly: false }] },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode !== 0) {
      const logs = (await container.logs({ stdout: true, stderr: true })) as unknown as Buffer;
      throw new Error(`Seeding the model and images failed (exit ${StatusCode}):\n${logs.toString('utf8')}`);
    }
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

beforeAll(async () => {
  docker = await testDocker();
  image = await testTrainerImage(docker);
  suite = tempDir('deit-runs-test-predict-');
  h = new RunsHarness(docker, path.join(suite.dir, 'data'), image);
  const seeded = path.join(h.paths.runsDir, 'seeded');
  fs.mkdirSync(h.paths.runsDir, { recursive: true });
  await seed(seeded);
  run = new RunFolder(h.paths.runsDir, 'predict-run');
  fs.renameSync(path.join(seeded, 'run'), run.dir);
  images = path.join(suite.dir, 'new-images');
  fs.renameSync(path.join(seeded, 'images'), images);
});

afterAll(async () => {
  await h?.close();
  suite?.cleanup();
});

function track() {
  const jobs = new PredictionJobs(h.bus);
  const seen: PredictionProgress[] = [];
  const off = h.bus.on('run.predictProgress', (p) => seen.push(p));
  return { jobs, seen, off };
}

describe('classifying new images', () => {
  it('counts every image up to the total while it classifies, then lists the classification', async () => {
    const { jobs, seen, off } = track();
    const before = folderHash(images);
    const job = jobs.begin(run.id);
    const result = await predictFolder(h.service.env, run, images, job);
    jobs.end(job, 'finished');
    off();
    expect(result).toMatchObject({ total: COUNT, classified: COUNT });
    // attention maps for the first 200 images only (predict.py ATTENTION_CAP), on DeiT's 2×2 grid at 32 px
    const mapped = result.rows.filter((r) => r.attention);
    expect(mapped).toHaveLength(200);
    expect(mapped[0]?.attention?.grid).toEqual([2, 2]);
    const counts = seen.filter((p) => p.total !== null);
    expect(counts[0]).toMatchObject({ done: 0, total: COUNT, state: 'running' });
    expect(counts.map((p) => p.done)).toEqual([...counts.map((p) => p.done)].sort((a, b) => a - b));
    expect(seen.at(-2)).toMatchObject({ done: COUNT, total: COUNT });
    expect(seen.at(-1)).toMatchObject({ state: 'finished', file: path.basename(result.csvPath), folder: images });
    expect(folderHash(images)).toBe(before);
    const [listed] = await listPredictions(run);
    expect(listed).toMatchObject({ file: path.basename(result.csvPath), folder: images, total: COUNT });
  });

  it('cancelling stops the container at once and leaves no CSV, not even a partial one', async () => {
    const { jobs, seen, off } = track();
    const job = jobs.begin(run.id);
    const listed = (await listPredictions(run)).length;
    // Cancel as soon as it has started counting (the model is loaded, a few hundred images to go).
    const offCancel = h.bus.on('run.predictProgress', (p) => p.total !== null && jobs.cancel(run.id));
    const outcome = await predictFolder(h.service.env, run, images, job).catch((error: unknown) => error);
    jobs.end(job, 'cancelled');
    off();
    offCancel();
    expect(outcome).toMatchObject({ kind: 'cancelled' });
    expect(seen.at(-1)).toMatchObject({ state: 'cancelled' });
    expect(seen.some((p) => p.done === COUNT)).toBe(false);
    const left = fs.readdirSync(path.join(run.dir, 'predictions')).filter((f) => !f.startsWith('.'));
    // only the earlier, complete CSV and its attention maps (the cancelled one's maps are removed too)
    const csvs = left.filter((f) => f.endsWith('.csv'));
    expect(csvs).toHaveLength(listed);
    expect(left.sort()).toEqual(csvs.flatMap((f) => [f.replace(/\.csv$/, '.attention.json'), f]).sort());
    expect(await listPredictions(run)).toHaveLength(listed);
    expect(await h.containers()).toEqual([]);
  });
});
