import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBirdsDataset, png } from './dataset-files';
import { startServe, type ServeProcess } from './serve-process';

// Coming back to work in progress, in serve mode with the real core, Docker Engine and trainer image:
// "Try the model" counts, can be cancelled and lists the earlier classifications; reopening the app
// while a run trains lands on it; the open page says when the server is gone and catches up when it
// is back (same token), or says it restarted (new token).

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///var/cache/deit-studio-test/docker.sock';
const BASE_IMAGE = process.env.DEIT_STUDIO_BASE_IMAGE ?? 'deit-studio/base-cpu:trixie';
const MODEL = 'deit_tiny_patch16_224';
const ENV = { DOCKER_HOST, DEIT_STUDIO_BASE_IMAGE: BASE_IMAGE };
const TOKEN = 'e2e-coming-back-token-0001';
// Enough that classifying takes well over the moment Cancel needs: tens of images/s on a loaded
// machine, but about 850/s on an idle fast one (where 800 finished between two progress reports).
const MANY = 4000;

let serve: ServeProcess;
let dataset: string;
let work: string;
let trained: string;

async function call<T>(page: Page, name: string, input: unknown): Promise<T> {
  const reply = await page.request.post(`${serve.origin}/api/call/${name}`, { data: input, headers: serve.auth });
  const body = (await reply.json()) as { ok: boolean; value?: T; error?: unknown };
  if (!body.ok) throw new Error(`${name} failed: ${JSON.stringify(body.error)}`);
  return body.value as T;
}

async function waitForStatus(page: Page, id: string, statuses: string[], timeout: number): Promise<void> {
  await expect
    .poll(
      async () =>
        (await call<Array<{ id: string; status: string }>>(page, 'runs.list', {})).find((r) => r.id === id)?.status,
      { timeout, intervals: [1000] },
    )
    .toMatch(new RegExp(`^(${statuses.join('|')})$`));
}

function cpuSettings(epochs: number, name: string) {
  return {
    name,
    datasetPath: dataset,
    modelId: MODEL,
    epochs,
    batchSize: 8,
    imgSize: 32,
    device: 'cpu',
    compile: false,
  };
}

/** A folder of `count` small PNGs, none seen in training. */
function newImages(name: string, count: number): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    fs.writeFileSync(
      path.join(dir, `${String(i).padStart(4, '0')}.png`),
      png(40, 32, (x, y) => ((x * 3 + y + i) % 20 < 10 ? [200, 60, 50] : [110, 80, 50])),
    );
  }
  return dir;
}

function predictionFiles(id: string): string[] {
  return fs
    .readdirSync(path.join(serve.dataDir, 'runs', id, 'output', 'predictions'))
    .filter((f) => !f.startsWith('.'));
}

test.beforeAll(async ({ browser }) => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-e2e-back-'));
  dataset = makeBirdsDataset({ perClass: 8 });
  serve = await startServe({ env: ENV, token: TOKEN });
  const page = await browser.newPage();
  await page.goto(serve.url);
  await call(page, 'image.ensure', { consent: true });
  let tag = '';
  await expect
    .poll(
      async () => {
        const status = await call<{ state: string; tag: string; error?: unknown }>(page, 'image.status', {});
        if (status.state === 'error') throw new Error(`image build failed: ${JSON.stringify(status.error)}`);
        tag = status.tag;
        return status.state;
      },
      { timeout: 15 * 60_000, intervals: [2000] },
    )
    .toBe('ready');
  // Pretrained weights in the hub cache layout (random values), as in training.spec.ts.
  const weights = path.join(serve.dataDir, 'weights');
  fs.mkdirSync(weights, { recursive: true });
  const user = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  execFileSync(
    'docker',
    [
      'run',
      '--rm',
      '--network',
      'none',
      '--user',
      user,
      '-v',
      `${path.join(ROOT, 'tests/trainer')}:/tests:ro`,
      '-v',
      `${weights}:/weights`,
      tag,
      'python',
      '/tests/make_fake_weights.py',
      '--out',
      '/weights',
      '--model',
      MODEL,
    ],
    { env: { ...process.env, DOCKER_HOST }, stdio: 'pipe' },
  );
  // One short run to have a model to try.
  trained = (await call<{ id: string }>(page, 'runs.create', { settings: cpuSettings(1, 'to try') })).id;
  await waitForStatus(page, trained, ['finished'], 8 * 60_000);
  await page.close();
});

test.afterAll(async () => {
  await serve?.stop();
  if (dataset) fs.rmSync(path.dirname(dataset), { recursive: true, force: true });
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('"Try the model" counts while it classifies, can be cancelled, and lists the earlier classifications', async ({
  page,
}) => {
  const few = newImages('few', 12);
  const many = newImages('many', MANY);
  await page.goto(serve.url);
  await page.goto(`${serve.origin}/#/runs/${trained}/results`);
  const tryIt = page.getByRole('region', { name: 'Try the model on new images' });
  const field = tryIt.getByRole('combobox', { name: 'Folder with new images' });

  // A small folder first: it finishes and becomes an earlier classification.
  await field.fill(few);
  await field.press('Escape');
  await tryIt.getByRole('button', { name: 'Classify images' }).click();
  await expect(tryIt.getByText('12 of 12 images classified').first()).toBeVisible({ timeout: 120_000 });
  await expect(tryIt.getByRole('list', { name: 'Earlier classifications' })).toContainText('few');

  // A large one: the count, rate and time left move, then Cancel stops it and keeps nothing.
  await field.fill(many);
  await field.press('Escape');
  await tryIt.getByRole('button', { name: 'Classify images' }).click();
  const count = tryIt.locator('.run-predict-count');
  await expect(count).toContainText(
    new RegExp(`\\d+ of ${MANY.toLocaleString('en-US')} images classified · \\d+ images/s · about .+ left`),
    {
      timeout: 120_000,
    },
  );
  await expect(tryIt.getByRole('progressbar', { name: 'Images classified' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/try-model-progress.png', fullPage: true });
  await tryIt.getByRole('button', { name: 'Cancel' }).click();
  await expect(tryIt.getByRole('status').filter({ hasText: 'Cancelled' })).toHaveText(
    'Cancelled: no CSV file was kept.',
    { timeout: 30_000 },
  );
  await expect(tryIt.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  // the small folder's CSV and its attention maps only: no partial one, no .tmp, no maps of the cancelled one
  const kept = predictionFiles(trained).sort();
  expect(kept).toHaveLength(2);
  expect(kept[1]).toMatch(/^\d{8}-\d{6}-\w{4}\.csv$/);
  expect(kept[0]).toBe(kept[1]!.replace(/\.csv$/, '.attention.json'));
  expect((await call<{ items: unknown[] }>(page, 'runs.predictions', { id: trained })).items).toHaveLength(1);

  // Coming back later: the earlier classification is listed and opens in the panel.
  await page.reload();
  const earlier = tryIt.getByRole('list', { name: 'Earlier classifications' });
  await expect(earlier.getByRole('listitem')).toHaveCount(1);
  await earlier.getByRole('button', { name: /^few, / }).click();
  await expect(tryIt.getByRole('heading', { name: 'Images in few' })).toBeFocused();
  await expect(tryIt.getByText('12 of 12 images classified').first()).toBeVisible();
  await expect(tryIt.getByRole('row', { name: /0000\.png/ })).toContainText('%');
});

test('reopening the app while a run trains lands on that run', async ({ page, context }) => {
  await page.goto(serve.url);
  const run = await call<{ id: string }>(page, 'runs.create', { settings: cpuSettings(40, 'still training') });
  await waitForStatus(page, run.id, ['preparing', 'running'], 120_000);
  // As after closing the tab: the printed address again (a new tab has no token), no page asked for.
  const again = await context.newPage();
  await again.goto(serve.url);
  await expect(again).toHaveURL(new RegExp(`#/runs/${run.id}$`));
  await expect(again.getByRole('heading', { level: 1, name: 'still training' })).toBeVisible();
  // The wizard offers it too, instead of only "Start training".
  await again.goto(`${serve.origin}/#/new/train`);
  const notice = again.getByRole('region', { name: 'A run is training' });
  await expect(notice).toContainText('“still training”');
  await notice.getByRole('link', { name: 'Watch it on its dashboard' }).press('Enter');
  await expect(again).toHaveURL(new RegExp(`#/runs/${run.id}$`));
  await call(page, 'runs.stop', { id: run.id }); // the processor is shared: no need to go on
  await waitForStatus(page, run.id, ['stopped', 'finished', 'failed'], 120_000);
});

test('the open page says when the server is gone, catches up when it is back, and says when it restarted', async ({
  page,
}) => {
  await page.goto(serve.url);
  await page.goto(`${serve.origin}/#/runs`);
  await expect(page.getByRole('row', { name: /to try/ })).toBeVisible();
  const port = Number(new URL(serve.origin).port);
  const dataDir = serve.dataDir;
  const status = page.getByRole('status').filter({ hasText: 'Connection lost' });

  await serve.stop();
  await expect(status).toContainText('Connection lost — reconnecting…', { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/screens/connection-lost.png' });

  // Back on the same port with the same token (DEIT_STUDIO_TOKEN): the banner goes, the page is current.
  serve = await startServe({ env: ENV, token: TOKEN, port, dataDir });
  await expect(status).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByRole('row', { name: /still training/ })).toContainText('Stopped');

  // Back with a new token: the page's token no longer works, and it says what to do.
  await serve.stop();
  await expect(status).toContainText('Connection lost — reconnecting…', { timeout: 30_000 });
  serve = await startServe({ env: ENV, token: 'e2e-coming-back-token-0002', port, dataDir });
  const alert = page.getByRole('alert').filter({ hasText: 'The server restarted' });
  await expect(alert).toContainText('The server restarted: reload this page with the new address.', {
    timeout: 30_000,
  });
  await page.screenshot({ path: 'test-results/screens/server-restarted.png' });
  await page.goto(serve.url); // the new address, as printed
  await expect(page.getByRole('alert').filter({ hasText: 'The server restarted' })).toHaveCount(0);
  await page.goto(`${serve.origin}/#/runs`);
  await expect(page.getByRole('row', { name: /to try/ })).toBeVisible();
});
