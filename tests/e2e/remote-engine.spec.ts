import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDocker } from '../helpers/docker-env';
import { removeTestVolumes } from '../helpers/remote-volumes';
import { startSshServer, type SshServer } from '../helpers/ssh-server';
import { makeBirdsDataset } from './dataset-files';
import { startServe, type ServeProcess } from './serve-process';

// A GPU server added in the UI (issue 20): serve mode with the real core, and a real OpenSSH server on a
// loopback port (tests/helpers/ssh-server.ts) whose `docker` reaches the test Docker Engine — as a lab
// server's would. The user fills "Add a GPU server", compares the fingerprint in the prompt with the one
// `ssh-keygen -lf` prints for the server's key, trusts it, and the Environment step then describes the
// server (its doctor answers over SSH). Screenshots go to test-results/screens/.

const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///var/cache/deit-studio-test/docker.sock';
const BASE_IMAGE = process.env.DEIT_STUDIO_BASE_IMAGE ?? 'deit-studio/base-cpu:trixie';
const SCREENS = 'test-results/screens';

let ssh: SshServer;
let serve: ServeProcess;
let home: string;
let dataset: string | undefined;
/** Folders of servers stopped during the test (removed at the end). */
const dirs: string[] = [];

/** Calls the API the way the page does (the token in `Authorization: Bearer`). */
async function call<T>(page: Page, name: string, input: unknown): Promise<T> {
  const reply = await page.request.post(`${serve.origin}/api/call/${name}`, { data: input, headers: serve.auth });
  const body = (await reply.json()) as { ok: boolean; value?: T; error?: unknown };
  if (!body.ok) throw new Error(`${name} failed: ${JSON.stringify(body.error)}`);
  return body.value as T;
}

/** The run volumes, dataset volumes, weights and cache serve mode makes on a server (its default prefix). */
const SERVE_VOLUME_PREFIX = 'deit-studio';

/** Waits until the run has one of `statuses` (asked through the API), and returns it. */
async function waitForStatus(page: Page, id: string, statuses: string[], timeoutMs: number): Promise<string> {
  let status = '';
  await expect
    .poll(
      async () => {
        const runs = await call<Array<{ id: string; status: string }>>(page, 'runs.list', {});
        status = runs.find((r) => r.id === id)?.status ?? '';
        return statuses.includes(status);
      },
      { timeout: timeoutMs, intervals: [1000, 2000] },
    )
    .toBe(true);
  return status;
}

/** Opens "Add a GPU server" and fills it for the test server, with `keyPath` as the key file. */
async function fillServerForm(page: Page, keyPath: string) {
  const where = page.getByRole('region', { name: 'Where training runs' });
  const form = page.getByRole('form', { name: 'Add a GPU server' });
  if (!(await form.isVisible())) await where.getByRole('button', { name: 'Add a GPU server' }).click();
  await form.getByRole('textbox', { name: 'User name' }).fill(ssh.user);
  await form.getByRole('textbox', { name: 'Server' }).fill('127.0.0.1');
  await form.getByRole('textbox', { name: 'SSH port' }).fill(String(ssh.port));
  await form.getByRole('textbox', { name: 'Private key file (optional)' }).fill(keyPath);
  return form;
}

test.beforeAll(async ({ browser }) => {
  process.env.DOCKER_HOST ??= DOCKER_HOST; // the "server's" docker reaches the test engine, as serve's does
  ssh = await startSshServer();
  // An empty home: no ~/.ssh/known_hosts that could already know the server, no ssh-agent.
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-e2e-home-'));
  serve = await startServe({
    env: { DOCKER_HOST, DEIT_STUDIO_BASE_IMAGE: BASE_IMAGE, HOME: home, SSH_AUTH_SOCK: undefined },
  });
  // The training image, built by the app on this computer's engine — the engine the test server's
  // docker reaches too, so the server has it (as a lab server would after a first build there).
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
  await ssh?.stop();
  if (dataset) fs.rmSync(path.dirname(dataset), { recursive: true, force: true });
  await removeTestVolumes(await testDocker(), SERVE_VOLUME_PREFIX);
  if (home) fs.rmSync(home, { recursive: true, force: true });
  for (const dir of [...dirs, ...(ssh ? [ssh.dir] : [])]) fs.rmSync(dir, { recursive: true, force: true });
});

test('a user adds a GPU server: the host key prompt, a refused key, trust, the checks describe the server; a changed key is refused', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(serve.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Environment' })).toBeVisible();
  const where = page.getByRole('region', { name: 'Where training runs' });
  await expect(where.getByRole('listitem', { name: 'This computer' })).toContainText('In use');

  // A key the server does not know: first the fingerprint prompt (the server is new), then the refusal.
  const form = await fillServerForm(page, ssh.otherKeyPath);
  await form.getByRole('textbox', { name: 'Private key file (optional)' }).press('Enter');
  const prompt = page.getByRole('alertdialog', { name: 'First connection to 127.0.0.1: check its fingerprint' });
  await expect(prompt).toBeVisible({ timeout: 30_000 });
  // The fingerprint is the one `ssh-keygen -lf` prints for the server's host key: what the user compares.
  await expect(prompt).toContainText(ssh.hostKeyFingerprint);
  await expect(prompt).toContainText('ED25519 (ssh-ed25519)');
  await expect(prompt.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.screenshot({ path: `${SCREENS}/engine-host-key.png` });

  // Escape closes it and nothing is added.
  await page.keyboard.press('Escape');
  await expect(prompt).toBeHidden();
  expect((await call<{ engines: unknown[] }>(page, 'engines.list', {})).engines).toHaveLength(1);

  await form.getByRole('button', { name: 'Connect' }).click();
  await prompt.getByRole('button', { name: 'Trust and connect' }).click();
  const refused = prompt.getByRole('alert');
  await expect(refused).toBeVisible({ timeout: 60_000 });
  await expect(refused).toContainText(/refused/i);
  // Focus is back in the prompt (its buttons were disabled while connecting), on the safe choice.
  await expect(prompt.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(prompt).toBeHidden();
  expect((await call<{ engines: unknown[] }>(page, 'engines.list', {})).engines).toHaveLength(1);

  // The right key: trusted, logged in, Docker answers; the server is now the engine in use.
  await form.getByRole('textbox', { name: 'Private key file (optional)' }).fill(ssh.userKeyPath);
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(prompt).toContainText(ssh.hostKeyFingerprint, { timeout: 30_000 });
  await prompt.getByRole('button', { name: 'Trust and connect' }).click();
  await expect(prompt).toBeHidden({ timeout: 60_000 });
  const label = `${ssh.user}@127.0.0.1:${ssh.port}`;
  await expect(where.getByRole('listitem', { name: label })).toContainText('In use');
  await expect(where.getByRole('listitem', { name: label })).toContainText(ssh.hostKeyFingerprint);

  // The Environment step describes the server: the doctor answered over SSH.
  await expect(page.getByText(`These checks describe the server ${label}`)).toBeVisible({ timeout: 120_000 });
  const checks = page.getByRole('list', { name: 'Environment checks' });
  await expect(checks).toBeVisible({ timeout: 120_000 });
  await expect(checks.getByRole('listitem', { name: 'Docker' })).toContainText('OK');
  await page.screenshot({ path: `${SCREENS}/environment-remote.png`, fullPage: true });

  // Remembered: the engine and its accepted key, and a new connection needs no prompt.
  const listed = await call<{
    engines: Array<{ label: string; hostKey?: { fingerprint: string } }>;
    currentId: string;
  }>(page, 'engines.list', {});
  expect(listed.engines.find((e) => e.label === label)?.hostKey?.fingerprint).toBe(ssh.hostKeyFingerprint);
  const again = await call<{ status: string }>(page, 'engines.checkHost', { host: '127.0.0.1', port: ssh.port });
  expect(again.status).toBe('known');

  // The server's host key changes (reinstalled — or someone in between): the same port, new keys.
  await ssh.stop();
  dirs.push(ssh.dir); // its user key stays where the engine was told it is
  ssh = await startSshServer({ port: ssh.port });
  // The checks on it now fail with the reason and what to do; nothing logs in.
  await page.getByRole('button', { name: 'Check again' }).click();
  const docker = checks.getByRole('listitem', { name: 'Docker' });
  await expect(docker).toContainText(ssh.hostKeyFingerprint, { timeout: 120_000 });
  await expect(docker).toContainText(/ssh-keygen -R|remove the server/i);
  // Adding it again: a warning, and no way to accept the new key here.
  await fillServerForm(page, ssh.userKeyPath);
  await form.getByRole('button', { name: 'Connect' }).click();
  const changed = form.getByRole('alert');
  await expect(changed).toContainText('shows a different host key than the one remembered', { timeout: 30_000 });
  await expect(changed).toContainText(ssh.hostKeyFingerprint);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Trust/ })).toHaveCount(0);
  await page.screenshot({ path: `${SCREENS}/engine-host-key-changed.png`, fullPage: true });
  await form.getByRole('button', { name: 'Cancel' }).click();

  // Back to this computer: the checks run again and say so. Then the server is removed.
  await where.getByRole('button', { name: 'Use This computer' }).click();
  await expect(where.getByRole('listitem', { name: 'This computer' })).toContainText('In use');
  await expect(page.getByText('These checks describe this computer and its Docker Engine.')).toBeVisible({
    timeout: 120_000,
  });
  await where.getByRole('button', { name: `Remove ${label}` }).click();
  await page
    .getByRole('alertdialog', { name: `Remove the server ${label}?` })
    .getByRole('button', { name: 'Remove server' })
    .click();
  await expect(where.getByRole('listitem', { name: label })).toHaveCount(0);
  expect((await call<{ engines: unknown[] }>(page, 'engines.list', {})).engines).toHaveLength(1);
});

test('a user adds a GPU server in the UI and trains on it: the dataset goes to the server, the results come back', async ({
  page,
}) => {
  dataset = makeBirdsDataset({ perClass: 20 });
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(serve.url);
  const where = page.getByRole('region', { name: 'Where training runs' });
  const form = await fillServerForm(page, ssh.userKeyPath);
  await form.getByRole('button', { name: 'Connect' }).click();
  const prompt = page.getByRole('alertdialog', { name: 'First connection to 127.0.0.1: check its fingerprint' });
  await expect(prompt).toContainText(ssh.hostKeyFingerprint, { timeout: 30_000 });
  await prompt.getByRole('button', { name: 'Trust and connect' }).click();
  const label = `${ssh.user}@127.0.0.1:${ssh.port}`;
  await expect(where.getByRole('listitem', { name: label })).toContainText('In use', { timeout: 60_000 });

  // Environment on the server: Docker answers over SSH, no GPU there (the test engine): CPU mode.
  await expect(page.getByText(`These checks describe the server ${label}`)).toBeVisible({ timeout: 120_000 });
  await page.getByRole('checkbox', { name: 'Use CPU mode (slow)' }).check();
  await expect(page.getByRole('region', { name: 'Training image' })).toContainText('is ready.', { timeout: 60_000 });
  await page.getByRole('button', { name: /Next: Dataset/ }).click();

  // Dataset: a folder on this computer; it is sent to the server when the run starts.
  const field = page.getByRole('combobox', { name: 'Folder with your images' });
  await field.fill(dataset);
  await field.press('Escape');
  await field.press('Enter');
  await expect(page.getByRole('table', { name: 'Images per class, largest first' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: /Next: Settings/ }).click();

  // Settings: the smallest model, small images, a fixed small batch, 2 epochs.
  await page.getByRole('radio', { name: 'DeiT-Ti', exact: true }).check();
  await page.getByRole('textbox', { name: 'Epochs' }).fill('2');
  await page.getByLabel('Fixed:').check();
  await page.getByRole('textbox', { name: 'Batch size' }).fill('8');
  await page.getByRole('button', { name: /Advanced settings/ }).click();
  await page.getByRole('textbox', { name: 'Image size (pixels)' }).fill('32');
  await page.getByRole('button', { name: /Next: Review/ }).click();

  await page.getByRole('textbox', { name: 'Run name (optional)' }).fill('birds on the server');
  const start = page.getByRole('button', { name: 'Start training' });
  await expect(start).not.toHaveAttribute('aria-disabled', { timeout: 15_000 });
  await start.click();
  await expect(page).toHaveURL(/#\/runs\/[A-Za-z0-9._-]+$/, { timeout: 120_000 });
  const id = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
  await expect(page.getByRole('heading', { level: 1, name: 'birds on the server' })).toBeVisible();
  // The header says where it runs.
  await expect(page.getByText(`${label} (a GPU server, over SSH)`)).toBeVisible();

  // It finishes on the server; its events and results are in the local run folder.
  const status = await waitForStatus(page, id, ['finished', 'failed'], 10 * 60_000);
  const runs = await call<Array<{ id: string; failure: unknown; engine?: { kind: string; label: string } }>>(
    page,
    'runs.list',
    {},
  );
  const run = runs.find((r) => r.id === id);
  expect(status, JSON.stringify(run?.failure)).toBe('finished');
  expect(run?.engine).toMatchObject({ kind: 'ssh', label });
  const output = path.join(serve.dataDir, 'runs', id, 'output');
  const events = fs
    .readFileSync(path.join(output, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { type: string; epoch?: number });
  // Each epoch once: mirrored while it ran, nothing doubled by the final copy.
  expect(events.filter((e) => e.type === 'epoch').map((e) => e.epoch)).toEqual([1, 2]);
  expect(fs.existsSync(path.join(output, 'report.md'))).toBe(true);
  // The dashboard follows: the run's end reaches the page as it does for a run on this computer.
  await expect(page.locator('.run-status').first()).toContainText('Finished', { timeout: 60_000 });
  await page.screenshot({ path: `${SCREENS}/dashboard-remote-finished.png`, fullPage: true });

  // The runs list says where it ran, and its results open.
  await page.getByRole('link', { name: 'All runs' }).click();
  const row = page.getByRole('row', { name: /birds on the server/ });
  await expect(row).toContainText(`on ${label}`);
  await row.getByRole('link', { name: 'Results' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /birds on the server/ })).toBeVisible({ timeout: 60_000 });

  // Deleting the run removes its volume on the server.
  await call(page, 'runs.delete', { id, confirm: true });
});
