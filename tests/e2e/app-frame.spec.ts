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
  // The page keeps the token (this tab's sessionStorage) and takes it out of the address bar; no cookie.
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

test('the token stays in the tab: no cookie, and a tab without it asks for it', async ({ page, context }) => {
  await page.goto(serve.url);
  await expect(page.getByLabel('This machine').getByText('Processor', { exact: true })).toBeVisible();
  expect(await context.cookies()).toEqual([]);
  expect(await page.evaluate<string | null>("sessionStorage.getItem('deit-studio-token')")).toBe(serve.token);

  // A second tab on the bare address: no token there, so it says how to get in, then works once pasted.
  const other = await context.newPage();
  const apiStatuses: number[] = [];
  other.on('response', (r) => {
    if (r.url().includes('/api/')) apiStatuses.push(r.status());
  });
  await other.goto(`${serve.origin}/#/runs`);
  await expect(other.getByText(/This page needs the access token/)).toContainText('?token=…');
  await expect(other.getByRole('navigation', { name: 'Steps' })).toHaveCount(0);
  await other.screenshot({ path: 'test-results/screens/token-screen.png' });
  expect(apiStatuses).toEqual([]); // it asked nothing of the API without a token
  await other.getByLabel('Access token').fill('not the token');
  await other.getByLabel('Access token').press('Enter');
  await expect(other.getByRole('alert')).toContainText('That is not an access token');
  // A token-shaped wrong one: the server is asked, and says so before anything else starts.
  await other.getByLabel('Access token').fill('wrong-token-123');
  await other.getByLabel('Access token').press('Enter');
  await expect(other.getByRole('alert')).toContainText('This is not the token this server printed');
  expect(apiStatuses).toEqual([401]);
  apiStatuses.length = 0;
  await other.getByLabel('Access token').fill(serve.token);
  await other.getByLabel('Access token').press('Enter');
  await expect(other.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible();
  await expect(other.getByRole('navigation', { name: 'Steps' })).toBeVisible();
  expect(apiStatuses.length).toBeGreaterThan(0);
  expect(apiStatuses.filter((s) => s === 401)).toEqual([]);
  expect(await context.cookies()).toEqual([]);
  await other.close();
});

test('the API refuses a browser without the token', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.request.post(`${serve.origin}/api/call/app.info`, { data: {} });
  expect(response.status()).toBe(401);
  await context.close();
});
