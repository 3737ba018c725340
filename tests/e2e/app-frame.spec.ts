import { expect, test } from '@playwright/test';
import { startServe, type ServeProcess } from './serve-process';

let serve: ServeProcess;

test.beforeAll(async () => {
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
});

test('opening the printed address shows the app, the wizard frame and the real machine summary', async ({ page }) => {
  await page.goto(serve.url);
  // The token moves into a cookie and out of the address bar.
  await expect(page).toHaveURL(`${serve.origin}/`);
  await expect(page.getByRole('navigation', { name: 'Steps' })).toBeVisible();
  for (const step of ['Environment', 'Dataset', 'Settings', 'Train', 'Results']) {
    await expect(page.getByRole('link', { name: new RegExp(step) })).toBeVisible();
  }
  const machine = page.getByLabel('This machine');
  const facts = machine.getByRole('definition');
  await expect(machine.getByText('Processor', { exact: true })).toBeVisible();
  // The summary comes from systeminformation on this very machine.
  const memory = await (await import('node:os')).totalmem();
  await expect(facts.nth(2)).toContainText(`${Math.round(memory / 2 ** 30)} GiB`);
  await expect(facts.nth(1)).toContainText(`${(await import('node:os')).cpus().length} cores`);
  await page.screenshot({ path: 'test-results/screens/environment.png', fullPage: true });

  await page.getByRole('link', { name: /Dataset/ }).click();
  await expect(page).toHaveURL(/#\/new\/dataset$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dataset');
});

test('the API refuses a browser without the token', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.request.post(`${serve.origin}/api/call/app.info`, { data: {} });
  expect(response.status()).toBe(401);
  await context.close();
});
