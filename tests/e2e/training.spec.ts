import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBirdsDataset } from './dataset-files';
import { startServe, type ServeProcess } from './serve-process';

// A new user trains for real: serve mode with the real core, the real Docker Engine and the trainer
// image built by the app from docker/ on the CPU twin. Three runs: the whole wizard to the results;
// stop and resume; a reload mid-run. Screenshots go to test-results/screens/.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///var/cache/deit-studio-test/docker.sock';
const BASE_IMAGE = process.env.DEIT_STUDIO_BASE_IMAGE ?? 'deit-studio/base-cpu:trixie';
const SCREENS = 'test-results/screens';
const MODEL = 'deit_tiny_patch16_224';

let serve: ServeProcess;
let dataset: string;

/** Calls the API the way the page does (the token in `Authorization: Bearer`). */
async function call<T>(page: Page, name: string, input: unknown): Promise<T> {
  const reply = await page.request.post(`${serve.origin}/api/call/${name}`, { data: input, headers: serve.auth });
  const body = (await reply.json()) as { ok: boolean; value?: T; error?: unknown };
  if (!body.ok) throw new Error(`${name} failed: ${JSON.stringify(body.error)}`);
  return body.value as T;
}

/** Lines of a file the trainer wrote (in the run folder's output/). */
function runFile(id: string, file: string): string[] {
  const text = fs.readFileSync(path.join(serve.dataDir, 'runs', id, 'output', file), 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** The run's trainer events so far (none before the trainer has started). */
function runEvents(id: string): Array<{ type: string; [key: string]: unknown }> {
  if (!fs.existsSync(path.join(serve.dataDir, 'runs', id, 'output', 'metrics.jsonl'))) return [];
  return runFile(id, 'metrics.jsonl').map((line) => JSON.parse(line));
}

/** The status word in the dashboard's header. */
function statusBadge(page: Page) {
  return page.locator('.run-status').first();
}

/** How many points each line of a chart holds (data-points on its figure). */
async function chartPoints(page: Page, title: string): Promise<number[]> {
  const figure = page.locator('figure.run-chart').filter({ has: page.locator('figcaption', { hasText: title }) });
  const value = (await figure.getAttribute('data-points')) ?? '';
  return value.split(',').filter(Boolean).map(Number);
}

/** The settings a CPU test run uses: tiny model and images, a fixed small batch so there are several steps. */
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
    augment: 'light',
  };
}

async function waitForStatus(page: Page, id: string, statuses: string[], timeoutMs: number): Promise<string> {
  let status = '';
  await expect
    .poll(
      async () => {
        status =
          (await call<Array<{ id: string; status: string }>>(page, 'runs.list', {})).find((r) => r.id === id)?.status ??
          '';
        return statuses.includes(status);
      },
      { timeout: timeoutMs, intervals: [500, 1000] },
    )
    .toBe(true);
  return status;
}

test.beforeAll(async ({ browser }) => {
  dataset = makeBirdsDataset({ perClass: 30 });
  serve = await startServe({ env: { DOCKER_HOST, DEIT_STUDIO_BASE_IMAGE: BASE_IMAGE } });
  // The training image, as the app builds it (cached by Docker when the trainer is unchanged).
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
  await page.close();
  // Pretrained weights cannot be downloaded here: write a Hugging Face cache in the real layout
  // (random weights) with the trainer's own helper, so the app's offline loading path runs for real.
  const weights = path.join(serve.dataDir, 'weights');
  fs.mkdirSync(weights, { recursive: true });
  execFileSync(
    'docker',
    [
      'run',
      '--rm',
      '--network',
      'none',
      '--user',
      `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
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
});

test.afterAll(async () => {
  await serve?.stop();
  if (dataset) fs.rmSync(path.dirname(dataset), { recursive: true, force: true });
});

test('a new user goes from the environment check to a trained model and its results', async ({ page }) => {
  await page.goto(serve.url);

  // Environment: Docker works, no GPU here: the user takes the (slow) CPU mode.
  await expect(page.getByRole('heading', { level: 1, name: 'Environment' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Environment checks' })).toBeVisible({ timeout: 120_000 });
  await page.getByRole('checkbox', { name: 'Use CPU mode (slow)' }).check();
  await expect(page.getByRole('region', { name: 'Training image' })).toContainText('is ready.', { timeout: 60_000 });
  await page.getByRole('button', { name: /Next: Dataset/ }).click();

  // Dataset: the folder with corrupt and hidden files in it.
  const field = page.getByRole('combobox', { name: 'Folder with your images' });
  await field.fill(dataset);
  await field.press('Escape');
  await field.press('Enter');
  await expect(page.getByRole('table', { name: 'Images per class, largest first' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('listitem', { name: 'Some files are left out' })).toBeVisible();
  await page.getByRole('button', { name: /Next: Settings/ }).click();

  // Settings: the smallest model, small images and batch (a CPU run), 6 epochs.
  await page.getByRole('radio', { name: 'DeiT-Ti', exact: true }).check();
  await page.getByRole('textbox', { name: 'Epochs' }).fill('6');
  await page.getByLabel('Fixed:').check();
  await page.getByRole('textbox', { name: 'Batch size' }).fill('8');
  await page.getByRole('button', { name: /Advanced settings/ }).click();
  await page.getByRole('textbox', { name: 'Image size (pixels)' }).fill('32');
  await page.getByRole('button', { name: /Next: Review/ }).click();

  // Review and start: the run's dashboard opens and the run is listed at once.
  await page.getByRole('textbox', { name: 'Run name (optional)' }).fill('birds, first try');
  const start = page.getByRole('button', { name: 'Start training' });
  await expect(start).not.toHaveAttribute('aria-disabled', { timeout: 15_000 });
  await start.click();
  await expect(page).toHaveURL(/#\/runs\/[A-Za-z0-9._-]+$/, { timeout: 30_000 });
  const id = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
  expect((await call<Array<{ id: string }>>(page, 'runs.list', {})).map((r) => r.id)).toContain(id);
  await expect(page.getByRole('heading', { level: 1, name: 'birds, first try' })).toBeVisible();

  // While it trains, the loss chart grows.
  await expect
    .poll(async () => (await chartPoints(page, 'Training loss'))[0] ?? 0, { timeout: 180_000 })
    .toBeGreaterThan(0);
  const early = (await chartPoints(page, 'Training loss'))[0]!;
  await page.screenshot({ path: `${SCREENS}/dashboard-running.png`, fullPage: true });
  await expect
    .poll(async () => (await chartPoints(page, 'Training loss'))[0] ?? 0, { timeout: 180_000 })
    .toBeGreaterThan(early);

  // The corrupt image and the text file are reported as left out (one count everywhere).
  const skipped = page.getByRole('region', { name: /files? (was|were) left out/ });
  await expect(skipped).toBeVisible({ timeout: 60_000 });
  await skipped.getByText('Show the files').click();
  await expect(skipped).toContainText('finch/broken.png');
  await expect(skipped).toContainText('robin/notes.txt');

  // It finishes; every epoch is on the charts.
  await waitForStatus(page, id, ['finished'], 8 * 60_000);
  await expect(statusBadge(page)).toContainText('Finished');
  await expect.poll(async () => chartPoints(page, 'Loss per epoch')).toEqual([6, 6]);
  await page.screenshot({ path: `${SCREENS}/dashboard-finished.png`, fullPage: true });

  // Results: per-class metrics, confusion matrix, exports, the methods report.
  await page.getByRole('link', { name: 'See the results' }).click();
  await expect(page).toHaveURL(new RegExp(`#/runs/${id}/results$`));
  const results = page.getByRole('main');
  for (const name of ['finch', 'robin', 'wren'])
    await expect(results.getByRole('cell', { name }).first()).toBeVisible();
  await expect(results.getByText(/confusion/i).first()).toBeVisible();
  await expect(results.getByText(/model\.onnx/).first()).toBeVisible();
  await expect(results.getByText(/model\.torchscript\.pt/).first()).toBeVisible();

  // Try the model on new images: the finch folder (with its damaged file), classified in a container.
  const tryIt = results.getByRole('region', { name: 'Try the model on new images' });
  const finches = path.join(dataset, 'finch');
  const images = fs.readdirSync(finches).filter((f) => f.endsWith('.png')).length; // broken.png included
  const folderField = tryIt.getByRole('combobox', { name: 'Folder with new images' });
  await folderField.fill(finches);
  await folderField.press('Escape');
  await tryIt.getByRole('button', { name: 'Classify images' }).click();
  await expect(tryIt.getByText(`${images - 1} of ${images} images classified`, { exact: true })).toBeVisible({
    timeout: 120_000,
  });
  await expect(tryIt.getByRole('row', { name: /broken\.png/ })).toContainText('Not classified');
  await expect(tryIt.getByRole('row', { name: /000\.png/ })).toContainText('%');
  await tryIt.getByRole('row', { name: /000\.png/ }).scrollIntoViewIfNeeded(); // previews load when in view
  await expect(tryIt.locator('img[alt="000.png"]')).toBeVisible(); // previewed from the classified folder
  const predictions = fs.readdirSync(path.join(serve.dataDir, 'runs', id, 'output', 'predictions'));
  // the CSV and its attention maps (the app's .json is in predictions/)
  expect(
    predictions
      .filter((f) => !f.startsWith('.'))
      .map((f) => f.replace(/^.*?\./, '.'))
      .sort(),
  ).toEqual(['.attention.json', '.csv']);

  // Where the model looked (issue 21): toggled on, a map over a prediction; the slider moves with the keyboard.
  await tryIt.getByRole('checkbox', { name: 'Show where the model looked' }).check();
  const overlay = tryIt.getByRole('row', { name: /000\.png/ }).getByTestId('attention-overlay');
  await expect(overlay).toBeVisible();
  await expect(overlay).toHaveCSS('opacity', '0.6');
  await tryIt.getByRole('slider', { name: 'Overlay opacity' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(overlay).toHaveCSS('opacity', '0.65');
  // … and over a mistake: eval/attention.json maps exactly the listed mistakes.
  const output = path.join(serve.dataDir, 'runs', id, 'output');
  const wrong = (
    JSON.parse(fs.readFileSync(path.join(output, 'eval', 'misclassified.json'), 'utf8')) as {
      path: string;
    }[]
  ).map((w) => w.path);
  const maps = JSON.parse(fs.readFileSync(path.join(output, 'eval', 'attention.json'), 'utf8')) as {
    maps: Record<string, unknown>;
  };
  expect(Object.keys(maps.maps).sort()).toEqual([...wrong].sort());
  const mistakes = results.getByRole('region', { name: 'Most confident mistakes' });
  if (wrong.length > 0) {
    // (a model that gets every validation image right has no mistakes to draw on; the list above was checked)
    await mistakes.getByRole('checkbox', { name: 'Show where the model looked' }).check();
    await expect(mistakes.getByTestId('attention-overlay').first()).toBeVisible();
    await mistakes.screenshot({ path: `${SCREENS}/results-attention.png` });
  }
  await page.screenshot({ path: `${SCREENS}/results.png`, fullPage: true });

  // The run folder is complete and the dataset untouched.
  const types = new Set(runEvents(id).map((e) => e.type));
  for (const type of ['run_started', 'step', 'epoch', 'checkpoint', 'finished']) expect(types).toContain(type);
  expect(fs.existsSync(path.join(serve.dataDir, 'runs', id, 'config.json'))).toBe(true);
  for (const file of ['checkpoints/best.pt', 'eval/metrics.json', 'export/model.onnx', 'report.md']) {
    expect(fs.existsSync(path.join(serve.dataDir, 'runs', id, 'output', file)), file).toBe(true);
  }
  expect(fs.readFileSync(path.join(dataset, 'robin', 'notes.txt'), 'utf8')).toBe('field notes');

  // The runs list shows it, finished, with its accuracy.
  await page.getByRole('link', { name: 'Runs', exact: true }).click();
  await expect(page.getByRole('row', { name: /birds, first try/ })).toContainText('Finished');
  await page.screenshot({ path: `${SCREENS}/runs.png`, fullPage: true });
});

test('stop a run, then resume it to the end', async ({ page }) => {
  await page.goto(serve.url);
  const run = await call<{ id: string }>(page, 'runs.create', { settings: cpuSettings(12, 'stop and resume') });
  await page.goto(`${serve.origin}/#/runs/${run.id}`);
  await expect
    .poll(() => runEvents(run.id).filter((e) => e.type === 'epoch').length, { timeout: 240_000 })
    .toBeGreaterThan(1);

  await page.getByRole('button', { name: 'Stop training' }).click();
  await page
    .getByRole('alertdialog', { name: 'Stop this training run?' })
    .getByRole('button', { name: 'Stop training' })
    .click();
  await waitForStatus(page, run.id, ['stopped'], 120_000);
  await expect(statusBadge(page)).toContainText('Stopped');
  const stopped = runEvents(run.id).filter((e) => e.type === 'stopped');
  expect(stopped).toHaveLength(1);
  expect(stopped[0]).toMatchObject({ resumable: true });
  expect(fs.existsSync(path.join(serve.dataDir, 'runs', run.id, 'output', 'checkpoints', 'last.pt'))).toBe(true);
  await page.screenshot({ path: `${SCREENS}/dashboard-stopped.png`, fullPage: true });

  await page.getByRole('button', { name: 'Resume training' }).click();
  await waitForStatus(page, run.id, ['finished'], 8 * 60_000);
  await expect(statusBadge(page)).toContainText('Finished');
  const epochs = runEvents(run.id)
    .filter((e) => e.type === 'epoch')
    .map((e) => e.epoch as number);
  // Every epoch exactly once across the two attempts: resume continued where the stop left off.
  expect(epochs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  await expect.poll(async () => chartPoints(page, 'Loss per epoch')).toEqual([12, 12]);
});

test('a reload mid-run continues the dashboard with nothing missing and nothing doubled', async ({ page }) => {
  await page.goto(serve.url);
  const run = await call<{ id: string }>(page, 'runs.create', { settings: cpuSettings(12, 'reload mid-run') });
  await page.goto(`${serve.origin}/#/runs/${run.id}`);
  await expect
    .poll(() => runEvents(run.id).filter((e) => e.type === 'epoch').length, { timeout: 240_000 })
    .toBeGreaterThan(2);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'reload mid-run' })).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/dashboard-after-reload.png`, fullPage: true });
  await waitForStatus(page, run.id, ['finished'], 8 * 60_000);

  // The page's series hold exactly what the run folder holds.
  const events = runEvents(run.id);
  const steps = events.filter((e) => e.type === 'step').length;
  const epochs = events.filter((e) => e.type === 'epoch').length;
  expect(epochs).toBe(12);
  await expect.poll(async () => chartPoints(page, 'Training loss'), { timeout: 30_000 }).toEqual([steps]);
  await expect.poll(async () => chartPoints(page, 'Loss per epoch')).toEqual([epochs, epochs]);
  // The log shows the tail of train.log, line for line.
  const log = runFile(run.id, 'train.log');
  const shown = await page.getByRole('log', { name: 'Training log lines' }).evaluate((box) =>
    [...box.querySelectorAll('.run-log-line')].map((line) =>
      [...line.childNodes]
        .filter(
          (node) => !(node as { classList?: { contains(name: string): boolean } }).classList?.contains('run-log-mark'),
        )
        .map((node) => node.textContent)
        .join(''),
    ),
  );
  expect(shown.length).toBeGreaterThan(10);
  // Each line is shown as its time and its text (the date, milliseconds and level are left out).
  const asShown = (line: string) => line.trim().replace(/^\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d),\d+ [A-Z]+ /, '$1 ');
  expect(shown.map((line) => line.trim())).toEqual(log.slice(-shown.length).map(asShown));
});
