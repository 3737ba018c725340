import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { makeBirdsDataset } from './dataset-files';
import { startServe, type ServeProcess } from './serve-process';

// Two tiny real runs with different settings (serve mode, the real core, Docker and the trainer on
// the CPU twin), compared in the app: differences highlighted, both runs' curves drawn, their final
// metrics side by side; then "Start a new run from these settings" fills the wizard.

const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///var/cache/deit-studio-test/docker.sock';
const BASE_IMAGE = process.env.DEIT_STUDIO_BASE_IMAGE ?? 'deit-studio/base-cpu:trixie';
const SCREENS = 'test-results/screens';

let serve: ServeProcess;
let dataset: string;

async function call<T>(page: Page, name: string, input: unknown): Promise<T> {
  const reply = await page.request.post(`${serve.origin}/api/call/${name}`, { data: input, headers: serve.auth });
  const body = (await reply.json()) as { ok: boolean; value?: T; error?: unknown };
  if (!body.ok) throw new Error(`${name} failed: ${JSON.stringify(body.error)}`);
  return body.value as T;
}

/** A tiny CPU run from scratch (no weights to fetch): 2 epochs of 32 px images. */
function tinySettings(name: string, over: Record<string, unknown>) {
  return {
    name,
    datasetPath: dataset,
    modelId: 'deit_tiny_patch16_224',
    epochs: 2,
    batchSize: 8,
    imgSize: 32,
    device: 'cpu',
    compile: false,
    augment: 'light',
    pretrained: false,
    ...over,
  };
}

test.beforeAll(async ({ browser }) => {
  dataset = makeBirdsDataset({ perClass: 12 });
  serve = await startServe({ env: { DOCKER_HOST, DEIT_STUDIO_BASE_IMAGE: BASE_IMAGE } });
  const page = await browser.newPage();
  await page.goto(serve.url);
  await call(page, 'image.ensure', { consent: true });
  await expect
    .poll(
      async () => {
        const status = await call<{ state: string; error?: unknown }>(page, 'image.status', {});
        if (status.state === 'error') throw new Error(`image build failed: ${JSON.stringify(status.error)}`);
        return status.state;
      },
      { timeout: 15 * 60_000, intervals: [2000] },
    )
    .toBe('ready');
  await page.close();
});

test.afterAll(async () => {
  await serve?.stop();
  if (dataset) fs.rmSync(path.dirname(dataset), { recursive: true, force: true });
});

test('two runs with different settings are compared, and a new run starts from one of them', async ({ page }) => {
  await page.goto(serve.url);
  // Different learning rate and seed; the same images (same folder and validation share).
  const first = await call<{ id: string }>(page, 'runs.create', {
    settings: tinySettings('Slow lr', { learningRate: 0.0005 }),
  });
  const second = await call<{ id: string }>(page, 'runs.create', {
    settings: tinySettings('Fast lr', { learningRate: 0.002, seed: 3 }),
  });
  for (const id of [first.id, second.id]) {
    await expect
      .poll(
        async () => {
          const run = (await call<Array<{ id: string; status: string }>>(page, 'runs.list', {})).find(
            (r) => r.id === id,
          );
          if (run?.status === 'failed') throw new Error(`run ${id} failed`);
          return run?.status;
        },
        { timeout: 8 * 60_000, intervals: [1000, 2000] },
      )
      .toBe('finished');
  }

  // The runs list: tick both, Compare.
  await page.goto(`${serve.origin}/#/runs`);
  await page.getByRole('checkbox', { name: 'Select “Slow lr” to compare' }).check();
  await page.getByRole('checkbox', { name: 'Select “Fast lr” to compare' }).check();
  await page.getByRole('button', { name: 'Compare 2 runs' }).click();
  await expect(page).toHaveURL(new RegExp(`#/compare/${first.id}/${second.id}$`));

  // Settings side by side, the differences highlighted (the older run is the baseline).
  const settings = page.getByRole('region', { name: 'Settings' });
  const lr = settings.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Learning rate' }) });
  await expect(lr.locator('td.compare-differs')).toHaveText('0.002 — differs');
  await expect(lr.locator('td').first()).toHaveText('0.0005');
  const seed = settings.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Training seed' }) });
  await expect(seed.locator('td.compare-differs')).toHaveText('3 — differs');
  const epochs = settings.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Epochs' }) });
  await expect(epochs.locator('td.compare-differs')).toHaveCount(0);
  // Same folder, same split: no warning.
  await expect(page.getByRole('note', { name: /Not measured on the same images/ })).toHaveCount(0);

  // Both runs' curves, drawn on the same axes (three charts, one line per run, two epochs each).
  const curves = page.getByRole('region', { name: 'Loss and accuracy' });
  for (const id of [first.id, second.id]) {
    await expect(curves.locator(`path[data-run="${id}"]`)).toHaveCount(3);
    for (const d of await curves
      .locator(`path[data-run="${id}"]`)
      .evaluateAll((ps) => ps.map((p) => p.getAttribute('d'))))
      expect(d).toMatch(/^M[\d.]+ [\d.]+L[\d.]+ [\d.]+/);
  }
  await curves.getByRole('radio', { name: 'Time' }).check();
  await expect(curves.locator('path[data-run]')).toHaveCount(6);

  // Final metrics side by side: each row has top-1 with its interval.
  const metrics = page.getByRole('region', { name: 'Final metrics' });
  for (const name of ['Slow lr', 'Fast lr']) {
    const row = metrics.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(name) }) });
    await expect(row).toContainText(/validation images/);
    await expect(row).toContainText(/\d+\.\d %–?\d*/);
    await expect(row).toContainText(/\d+\.\d–\d+\.\d %/);
  }
  await expect(metrics.getByRole('row').filter({ hasText: 'Fast lr' })).toContainText('Δ');
  await expect(
    page.getByRole('region', { name: 'F1 per class' }).getByRole('rowheader', { name: 'finch' }),
  ).toBeVisible();
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}/compare-runs.png`, fullPage: true });

  // "Start a new run from these settings" (here: the baseline's) fills the wizard.
  await page.getByRole('link', { name: 'Start a new run from the baseline’s settings' }).click();
  await expect(page).toHaveURL(/#\/new\/dataset$/);
  await expect(page.getByRole('note').filter({ hasText: 'These settings are copied from the run' })).toContainText(
    'Slow lr',
  );
  await expect(page.getByRole('combobox', { name: 'Folder with your images' })).toHaveValue(dataset);
  await page.goto(`${serve.origin}/#/new/settings`);
  await expect(page.getByRole('textbox', { name: 'Epochs' })).toHaveValue('2');
  const advanced = page.getByRole('button', { name: /Advanced/ });
  if ((await advanced.getAttribute('aria-expanded')) !== 'true') await advanced.click();
  await expect(page.getByRole('textbox', { name: /Learning rate/ })).toHaveValue('0.0005');
});
