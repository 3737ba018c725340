import { expect, test, type Download } from '@playwright/test';
import Dockerode from 'dockerode';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { RunSettings } from '../../electron/contract';
import { initialRunState } from '../../electron/core/runs/folder/run-files';
import { makeTinyImage, saveImage } from '../helpers/save-archives';
import { startServe, type ServeProcess } from './serve-process';

// Two things a newcomer without internet, or on a laptop far from the GPU server, needs in serve
// mode (real Chromium, real serve process, real engine): loading the base image from a `docker save`
// archive made in the test, and downloading a finished run's ONNX file, a prediction CSV and the
// zip of its folder (a finished run folder is seeded as the trainer leaves it; training is covered
// by training.spec.ts).

const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///var/cache/deit-studio-test/docker.sock';
const BASE_IMAGE = process.env.DEIT_STUDIO_BASE_IMAGE ?? 'deit-studio/base-cpu:trixie';
const TINY = 'deit-e2e-test/offline-base:1';
const RUN = '20261128-0900-deit-tiny-e2e2';
const ONNX = Buffer.from(Array.from({ length: 250_000 }, (_, i) => (i * 31 + 7) % 256));
const CSV = 'path,predicted,confidence,top_k,error\n/images/a.jpg,owl,0.91,owl:0.91;crow:0.09,\n';

let serve: ServeProcess;
let docker: Dockerode;
let work: string;
let archive: string;
let tinyId: string;

/** A finished run folder as the trainer leaves it (results, exports, a prediction CSV, checkpoints). */
function seedFinishedRun(dataDir: string): void {
  // run.json and state.json as the app writes them (tests/helpers/runs-folders.ts does the same for unit tests).
  const dir = path.join(dataDir, 'runs', RUN);
  fs.mkdirSync(dir, { recursive: true });
  const settings = RunSettings.parse({ datasetPath: '/data/birds', modelId: 'deit_tiny_patch16_224', device: 'cpu' });
  const record = {
    version: 1,
    id: RUN,
    name: 'Birds offline',
    createdAt: '2026-11-28T09:00:00.000Z',
    settings,
    image: null,
  };
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(record));
  const state = { ...initialRunState(), status: 'finished', endedAt: '2026-11-28T09:30:00.000Z', epochsDone: 2 };
  fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify({ ...state, bestValTop1: 0.75 }));
  const write = (rel: string, data: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
  };
  write(
    'eval/metrics.json',
    JSON.stringify({
      val_top1: 0.75,
      val_top5: 1,
      per_class: [
        { name: 'crow', precision: 0.8, recall: 0.7, f1: 0.75, support: 10 },
        { name: 'owl', precision: 0.7, recall: 0.8, f1: 0.75, support: 10 },
      ],
      confusion: {
        labels: ['crow', 'owl'],
        matrix: [
          [7, 3],
          [2, 8],
        ],
      },
    }),
  );
  write('export/model.onnx', ONNX);
  write('export/labels.json', '["crow","owl"]');
  write('predictions/20261128-0905-new-birds.csv', CSV);
  write('report.md', '# Methods\n\nDeiT-Ti on 20 validation images.\n');
  write('checkpoints/best.pt', Buffer.alloc(4096, 1));
  write('checkpoints/last.pt', Buffer.alloc(8192, 2));
}

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function saved(download: Download): Promise<string> {
  const file = path.join(work, `download-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return file;
}

test.beforeAll(async () => {
  docker = new Dockerode({ socketPath: DOCKER_HOST.replace(/^unix:\/\//, '') });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-e2e-offline-'));
  await docker
    .getImage(TINY)
    .remove({ force: true })
    .catch(() => undefined);
  tinyId = await makeTinyImage(docker, TINY);
  archive = path.join(work, 'offline-base.tar');
  await saveImage(docker, TINY, archive);
  await docker.getImage(TINY).remove();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-e2e-'));
  seedFinishedRun(dataDir);
  serve = await startServe({ dataDir, env: { DOCKER_HOST, DEIT_STUDIO_BASE_IMAGE: BASE_IMAGE } });
});

test.afterAll(async () => {
  await serve?.stop();
  await docker
    ?.getImage(TINY)
    .remove({ force: true })
    .catch(() => undefined);
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('loads the base image from a docker save archive on the Environment step', async ({ page }) => {
  await page.goto(serve.url);
  await page.goto(`${serve.origin}/#/new/environment`);
  const panel = page.getByRole('region', { name: 'Training image' });
  await expect(panel.getByText('(the default)')).toBeVisible({ timeout: 60_000 });
  await panel.getByRole('button', { name: 'Load the image from a file…' }).click();
  await panel.getByRole('textbox', { name: 'Image archive (.tar from docker save)' }).fill(archive);
  await panel.screenshot({ path: 'test-results/screens/environment-offline.png' });
  await panel.getByRole('button', { name: 'Load', exact: true }).click();

  await expect(panel.getByText('(your choice)')).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByText(TINY, { exact: true }).first()).toBeVisible();
  // The tiny image has no Python: loaded and chosen, but the user is warned.
  await expect(panel.getByText(`${TINY} is not a recognised PyTorch 2.6 image`)).toBeVisible();
  await expect(panel.getByText(/has no Python/)).toBeVisible();
  const loaded = (await docker.getImage(TINY).inspect()) as { Id: string };
  expect(loaded.Id).toBe(tinyId);
  const settings = JSON.parse(fs.readFileSync(path.join(serve.dataDir, 'settings.json'), 'utf8')) as {
    baseImage: string;
  };
  expect(settings.baseImage).toBe(TINY);

  // Back to the default, which the rest of the app builds on.
  await panel.getByRole('button', { name: `Use the default (${BASE_IMAGE})` }).click();
  await expect(panel.getByText('(the default)')).toBeVisible();
});

test('downloads the ONNX file, a prediction CSV and the zip of a finished run', async ({ page }) => {
  await page.goto(serve.url);
  await page.goto(`${serve.origin}/#/runs/${RUN}/results`);
  const exports = page.getByRole('region', { name: 'Exported model and files' });
  await expect(exports.getByRole('link', { name: /Download the run folder \(zip/ })).toBeVisible();
  await expect(exports.getByRole('button', { name: 'Open the run folder' })).toHaveCount(0);
  const list = exports.getByRole('list', { name: 'Files to download' });
  await expect(list.getByRole('link', { name: 'model.onnx' })).toBeVisible();
  await exports.screenshot({ path: 'test-results/screens/results-downloads.png' });

  const [onnx] = await Promise.all([
    page.waitForEvent('download'),
    list.getByRole('link', { name: 'model.onnx' }).click(),
  ]);
  expect(onnx.suggestedFilename()).toBe(`${RUN}-model.onnx`);
  expect(fs.readFileSync(await saved(onnx)).equals(ONNX)).toBe(true);

  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    list.getByRole('link', { name: '20261128-0905-new-birds.csv' }).click(),
  ]);
  expect(csv.suggestedFilename()).toBe(`${RUN}-20261128-0905-new-birds.csv`);
  expect(fs.readFileSync(await saved(csv), 'utf8')).toBe(CSV);

  const [zip] = await Promise.all([
    page.waitForEvent('download'),
    exports.getByRole('link', { name: /Download the run folder \(zip/ }).click(),
  ]);
  expect(zip.suggestedFilename()).toBe(`${RUN}.zip`);
  const entries = await readZip(await saved(zip));
  expect(entries.get(`${RUN}/export/model.onnx`)?.equals(ONNX)).toBe(true);
  expect(entries.get(`${RUN}/predictions/20261128-0905-new-birds.csv`)?.toString('utf8')).toBe(CSV);
  expect(entries.has(`${RUN}/checkpoints/best.pt`)).toBe(true);
  expect(entries.has(`${RUN}/checkpoints/last.pt`)).toBe(false);
  expect(entries.has(`${RUN}/run.json`)).toBe(true);

  // The same address without the token (or a ticket) is refused.
  const anonymous = await fetch(`${serve.origin}/api/download/runs/${RUN}/file/export/model.onnx`);
  expect(anonymous.status).toBe(401);
});
