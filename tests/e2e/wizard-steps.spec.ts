import { expect, test, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { makeBirdsDataset } from './dataset-files';
import { startServe, type ServeProcess } from './serve-process';

// The wizard in real Chromium against real serve mode: the real doctor on the test Docker Engine,
// the real dataset scan of a generated folder, the real model list and estimate. Saves a
// screenshot of each step (light, full page; dark, 1024×700 viewport) to test-results/screens/.

const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///var/cache/deit-studio-test/docker.sock';
const BASE_IMAGE = process.env.DEIT_STUDIO_BASE_IMAGE ?? 'deit-studio/base-cpu:trixie';
const SCREENS = 'test-results/screens';

// ---- Helpers ----

let serve: ServeProcess;
let dataset: string;

async function screenshots(page: Page, step: string): Promise<void> {
  await page.screenshot({ path: `${SCREENS}/${step}.png`, fullPage: true });
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: `${SCREENS}/${step}-dark.png` });
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
}

/** Presses Tab (or Shift+Tab) until `target` has focus, at most `max` times: proves it is reachable. */
async function tabTo(page: Page, target: Locator, max = 60, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
    await page.keyboard.press(key);
  }
  await expect(target).toBeFocused();
}

function sidebarLink(page: Page, step: string) {
  return page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: new RegExp(step) });
}

test.beforeAll(async () => {
  dataset = makeBirdsDataset({ perClass: 8 });
  serve = await startServe({ env: { DOCKER_HOST, DEIT_STUDIO_BASE_IMAGE: BASE_IMAGE } });
});

test.afterAll(async () => {
  await serve?.stop();
  if (dataset) fs.rmSync(path.dirname(dataset), { recursive: true, force: true });
});

test('the wizard step by step: environment, dataset, settings, review', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(serve.url);

  // ---- Environment: the real doctor on the test engine (Docker works, no GPU) ----
  await expect(page.getByRole('heading', { level: 1, name: 'Environment' })).toBeVisible();
  const checks = page.getByRole('list', { name: 'Environment checks' });
  await expect(checks.or(page.getByRole('alert').first())).toBeVisible({ timeout: 120_000 });
  if (await checks.isVisible()) {
    await expect(checks.getByRole('listitem', { name: 'Docker' })).toContainText('OK');
    const cpuMode = page.getByRole('checkbox', { name: 'Use CPU mode (slow)' });
    if (await cpuMode.isVisible()) await cpuMode.check();
  }
  // The training image: built from the CPU twin on the test engine (seconds when Docker has the layers).
  const image = page.getByRole('region', { name: 'Training image' });
  await expect(image).not.toHaveAttribute('aria-busy', 'true', { timeout: 60_000 });
  const prepare = image.getByRole('button', { name: /Prepare the training image|Try again|Download/ });
  if (await prepare.isVisible()) await prepare.click();
  await expect(image).toContainText('is ready.', { timeout: 5 * 60_000 });
  const next = page.getByRole('button', { name: /Next: Dataset/ });
  await expect(next).not.toHaveAttribute('aria-disabled');
  await expect(next).toHaveAccessibleDescription('This machine is ready. Next: choose your images.');
  await screenshots(page, 'environment');

  // ---- Dataset: the path field with completion, from the keyboard, then the real scan ----
  await next.click();
  const heading = page.getByRole('heading', { level: 1, name: 'Dataset' });
  await expect(heading).toBeFocused(); // focus follows the step change
  const field = page.getByRole('combobox', { name: 'Folder with your images' });
  await field.fill(`${path.dirname(dataset)}/b`);
  await expect(page.getByRole('option', { name: /birds/ })).toBeVisible();
  await field.press('ArrowDown');
  await expect(field).toHaveAttribute('aria-activedescendant', /.+/);
  await field.press('Enter');
  await expect(field).toHaveValue(dataset);
  await field.press('Enter'); // scans

  const table = page.getByRole('table', { name: 'Images per class, largest first' });
  await expect(table).toBeVisible({ timeout: 60_000 });
  for (const name of ['finch', 'robin', 'wren']) await expect(table.getByRole('row', { name })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /24 in 3 classes/ })).toBeVisible();
  const leftOut = page.getByRole('listitem', { name: 'Some files are left out' });
  await expect(leftOut).toBeVisible();
  await leftOut.getByText(/Show left-out files/).click();
  await expect(page.getByRole('list', { name: 'Left-out files', exact: true })).toContainText('finch/broken.png');
  const examples = page.getByRole('region', { name: 'Examples' });
  await examples.scrollIntoViewIfNeeded(); // thumbnails load when they come into view
  await expect(examples.getByRole('img', { name: /^finch: \d{3}\.png$/ }).first()).toHaveAttribute(
    'src',
    /^data:image\//,
  );
  await expect(page.getByText('Nothing in the folder is ever moved', { exact: false })).toBeVisible();
  await screenshots(page, 'dataset');

  // ---- Settings: the real model list and estimate ----
  await page.getByRole('button', { name: /Next: Settings/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();
  const models = page.getByRole('group', { name: 'Model' });
  await expect(models.or(page.getByRole('alert').first())).toBeVisible({ timeout: 30_000 });
  if (await models.isVisible()) {
    // CPU mode: the processor's defaults start from DeiT-Ti (electron/contract/processor-defaults.ts).
    await expect(models.getByRole('radio', { name: 'DeiT-Ti', exact: true })).toBeChecked();
    await models.getByRole('radio', { name: 'DeiT-Ti', exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await expect(models.getByRole('radio', { name: 'DeiT-S', exact: true })).toBeChecked();
    await page.keyboard.press('ArrowUp');
    await expect(models.getByRole('radio', { name: 'DeiT-Ti', exact: true })).toBeChecked();
  }
  await page.getByRole('textbox', { name: 'Epochs' }).fill('0');
  await expect(page.getByRole('textbox', { name: 'Epochs' })).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('textbox', { name: 'Epochs' }).fill('3');
  await page.getByRole('button', { name: /Advanced settings/ }).press('Enter');
  await expect(page.getByRole('textbox', { name: 'Learning rate' })).toBeVisible();
  // On the processor the estimate times a few training steps in a container first (seconds, more when busy).
  await expect(page.getByRole('region', { name: 'Estimate' })).not.toHaveAttribute('aria-busy', 'true', {
    timeout: 120_000,
  });
  await screenshots(page, 'settings');

  // ---- Review: everything chosen, and what is still missing ----
  await page.getByRole('button', { name: /Next: Review/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Review and start' })).toBeFocused();
  await expect(page.getByRole('region', { name: 'Dataset' })).toContainText(dataset);
  await expect(page.getByRole('region', { name: 'Settings' })).toContainText('3');
  await expect(page.getByRole('button', { name: 'Start training' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Estimate' })).not.toHaveAttribute('aria-busy', 'true', {
    timeout: 15_000,
  });
  await screenshots(page, 'train');

  // A reload keeps the choices (sessionStorage).
  await page.reload();
  await expect(page.getByRole('region', { name: 'Dataset' })).toContainText(dataset);

  // Start: the run is created at once and its dashboard opens (offline here, so it trains from scratch;
  // the lead's end-to-end test trains for real). It is stopped right away.
  const start = page.getByRole('button', { name: 'Start training' });
  await expect(start).not.toHaveAttribute('aria-disabled', { timeout: 15_000 });
  await page.getByRole('textbox', { name: 'Run name (optional)' }).fill('wizard e2e');
  await start.click();
  await expect(page).toHaveURL(/#\/runs\/[A-Za-z0-9._-]+$/, { timeout: 30_000 });
  const id = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
  const list = await (
    await page.request.post(`${serve.origin}/api/call/runs.list`, { data: {}, headers: serve.auth })
  ).json();
  expect(list.value).toContainEqual(
    expect.objectContaining({ id, name: 'wizard e2e', modelId: 'deit_tiny_patch16_224' }),
  );
  await page.request.post(`${serve.origin}/api/call/runs.stop`, { data: { id }, headers: serve.auth }); // leave nothing running
  // ... and wait until it has stopped: opening the app while a run is live lands on that run.
  await expect
    .poll(
      async () => {
        const runs = await (
          await page.request.post(`${serve.origin}/api/call/runs.list`, { data: {}, headers: serve.auth })
        ).json();
        return (runs.value as Array<{ id: string; status: string }>).find((r) => r.id === id)?.status;
      },
      { timeout: 120_000, intervals: [500, 1000] },
    )
    .toMatch(/^(stopped|failed|finished)$/);
});

test('keyboard only: skip link, folder field, scan, Next, model, Next, review', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(serve.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Environment' })).toBeVisible();

  // The skip link lands in the screen without breaking the hash route.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  await expect(page).toHaveURL(/#\/new\/environment$|\/$/);

  // The steps are links: Shift+Tab from the screen goes back into the sidebar, to Dataset.
  await tabTo(page, sidebarLink(page, 'Dataset'), 10, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Dataset' })).toBeFocused();

  const field = page.getByRole('combobox', { name: 'Folder with your images' });
  await tabTo(page, field);
  await page.keyboard.type(dataset);
  await page.keyboard.press('Escape'); // close the suggestions, keep the text
  await page.keyboard.press('Enter'); // scan
  await expect(page.getByRole('table', { name: 'Images per class, largest first' })).toBeVisible({ timeout: 60_000 });

  await tabTo(page, page.getByRole('button', { name: /Next: Settings/ }), 120);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();

  const small = page.getByRole('radio', { name: 'DeiT-S', exact: true });
  await tabTo(page, small);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: 'DeiT-B', exact: true })).toBeChecked();
  const advanced = page.getByRole('button', { name: /Advanced settings/ });
  await tabTo(page, advanced);
  await page.keyboard.press('Enter');
  await expect(advanced).toHaveAttribute('aria-expanded', 'true');

  await tabTo(page, page.getByRole('button', { name: /Next: Review/ }), 120);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Review and start' })).toBeFocused();
  await expect(page.getByRole('region', { name: 'Settings' })).toContainText('DeiT-B');
  await tabTo(page, page.getByRole('button', { name: 'Start training' }));
});
