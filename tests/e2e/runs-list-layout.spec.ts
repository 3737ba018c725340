import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunSettings } from '../../electron/contract';
import { initialRunState } from '../../electron/core/runs/folder/run-files';
import { startServe, type ServeProcess } from './serve-process';

// The runs list fits a laptop's 1024 px: the table stays inside its box (no sideways scrolling inside
// it) and each row's Delete button shows whole. Serve mode, real Chromium, two seeded finished runs
// whose dataset folder is one long word (as the sample dataset's is). Screenshot: test-results/screens/.

const SCREENS = 'test-results/screens';
let serve: ServeProcess;

function seedRun(dataDir: string, id: string, name: string, epochs: number): void {
  const dir = path.join(dataDir, 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  const datasetPath = '/tmp/h-data/samples/digits-63e049b6d6c7';
  const settings = RunSettings.parse({ datasetPath, modelId: 'deit_tiny_patch16_224', device: 'cpu', epochs });
  const record = { version: 1, id, name, createdAt: '2026-12-03T17:45:00.000Z', settings, image: null };
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(record));
  const state = { ...initialRunState(), status: 'finished', endedAt: '2026-12-03T17:48:00.000Z', epochsDone: epochs };
  fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify({ ...state, bestValTop1: 0.288 }));
}

test.beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-e2e-runs-layout-'));
  seedRun(dataDir, '20261203-1745-tiny-2-epochs', 'tiny-2-epochs', 2);
  seedRun(dataDir, '20261203-1743-tiny-1-epoch', 'tiny-1-epoch', 1);
  serve = await startServe({ dataDir });
});

test.afterAll(async () => {
  await serve?.stop();
});

test('the runs table fits its box at 1024 px and shows the Delete buttons whole', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(serve.url);
  await page.goto(`${serve.origin}/#/runs`);
  const table = page.locator('.runs-table-wrap');
  await expect(page.getByRole('button', { name: 'Delete tiny-1-epoch' })).toBeVisible();
  const sizes = await table.evaluate((box) => ({ scrollWidth: box.scrollWidth, clientWidth: box.clientWidth }));
  expect(sizes.scrollWidth).toBeLessThanOrEqual(sizes.clientWidth);
  const wrap = await table.boundingBox();
  for (const name of ['tiny-1-epoch', 'tiny-2-epochs']) {
    const button = await page.getByRole('button', { name: `Delete ${name}` }).boundingBox();
    expect(button!.x + button!.width).toBeLessThanOrEqual(wrap!.x + wrap!.width);
  }
  await page.screenshot({ path: `${SCREENS}/runs-list-1024.png`, fullPage: true });
});
