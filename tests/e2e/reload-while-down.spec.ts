import { expect, test, type Page } from '@playwright/test';
import { startServe, type ServeProcess } from './serve-process';

// Reloading the serve-mode page while the server is down: the service worker (renderer/src/sw.ts)
// answers with the app's last copy, which says "Connection lost — reconnecting…" and catches up when
// the server is back (same token), or says the server restarted (new token). Without it Chromium shows
// its own "This site can't be reached" page and the tab has no app to reconnect.

const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///var/cache/deit-studio-test/docker.sock';
const ENV = { DOCKER_HOST };
const TOKEN = 'e2e-reload-while-down-token-0001';

let serve: ServeProcess;

test.beforeAll(async () => {
  serve = await startServe({ env: ENV, token: TOKEN });
});

test.afterAll(async () => {
  await serve?.stop();
});

/** The Environment step answered by the server (the test engine's Docker): the machine summary and the checks. */
async function expectEnvironmentLoaded(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Environment' })).toBeVisible();
  await expect(page.getByLabel('This machine').getByText('Processor', { exact: true })).toBeVisible({
    timeout: 30_000,
  });
  const checks = page.getByRole('list', { name: 'Environment checks' });
  await expect(checks.getByRole('listitem', { name: 'Docker' })).toContainText('OK', { timeout: 120_000 });
}

test('a reload while the server is down shows the app with the connection-lost banner, and it recovers', async ({
  page,
}) => {
  await page.goto(serve.url);
  await expectEnvironmentLoaded(page);
  // The service worker takes over the page it was registered from (clients.claim) once it has the app's files.
  await expect
    .poll(() => page.evaluate<string>("navigator.serviceWorker.controller?.state ?? 'none'"), { timeout: 30_000 })
    .toBe('activated');
  const port = Number(new URL(serve.origin).port);
  const dataDir = serve.dataDir;
  const lost = page.getByRole('status').filter({ hasText: 'Connection lost' });

  // Down, then reloaded: the app (from the worker's copy) instead of the browser's error page.
  await serve.stop();
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Steps' })).toBeVisible();
  await expect(lost).toContainText('Connection lost — reconnecting…', { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/screens/reload-while-down.png' });

  // What the worker kept: the app's files only, never an API answer or an address with the token.
  const cached = await page.evaluate<string[]>(`(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
    }
    return urls;
  })()`);
  expect(cached).toContain(`${serve.origin}/`);
  expect(cached.some((url) => /\/assets\/index-[\w-]+\.js$/.test(url))).toBe(true);
  for (const url of cached) expect(url).not.toMatch(/\/api\/|token/);

  // Back on the same port with the same token: the banner goes and the page reads its data.
  serve = await startServe({ env: ENV, token: TOKEN, port, dataDir });
  await expect(lost).toHaveCount(0, { timeout: 30_000 });
  await expectEnvironmentLoaded(page);
  // Nothing said while the server was away stays (the training image panel asks again).
  await expect(page.getByRole('region', { name: 'Training image' })).not.toContainText('does not answer', {
    timeout: 30_000,
  });

  // Down and reloaded again, then back with a new token: the page says the server restarted.
  await serve.stop();
  await page.reload();
  await expect(lost).toContainText('Connection lost — reconnecting…', { timeout: 30_000 });
  serve = await startServe({ env: ENV, token: 'e2e-reload-while-down-token-0002', port, dataDir });
  await expect(page.getByRole('alert').filter({ hasText: 'The server restarted' })).toContainText(
    'The server restarted: reload this page with the new address.',
    { timeout: 30_000 },
  );
  await page.goto(serve.url); // the new address, as printed
  await expect(page.getByRole('alert').filter({ hasText: 'The server restarted' })).toHaveCount(0);
  await expectEnvironmentLoaded(page);
});
