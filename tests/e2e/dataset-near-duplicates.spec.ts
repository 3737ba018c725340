import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startServe, type ServeProcess } from './serve-process';

// The Dataset step shows a near-duplicate pair across classes (the same photo resized and re-encoded
// as a JPEG in another class), with both previews, and notes a nested sub-folder merged into its
// class; in serve mode (real Chromium, real core and scan, images drawn here with sharp; no Docker).
// Screenshot: test-results/screens/dataset-near-duplicates.png (docs/screens/).

const SCREENS = 'test-results/screens';

let serve: ServeProcess;
let dataset: string;

const W = 320;
const H = 240;
/** A drawn picture: a gradient with a disc (0) or with a box (1). */
function drawn(kind: number): Promise<Buffer> {
  const px = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inShape =
        kind === 0
          ? (x - W * 0.35) ** 2 + (y - H * 0.5) ** 2 < (H * 0.25) ** 2
          : x > W * 0.55 && x < W * 0.85 && y > H * 0.2 && y < H * 0.7;
      const rgb = inShape
        ? kind === 0
          ? [240, 30, 30]
          : [20, 20, 220]
        : [(x * 255) / W, (y * 255) / H, 128 + kind * 60];
      px.set(rgb, (y * W + x) * 3);
    }
  }
  return sharp(px, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toBuffer();
}

test.beforeAll(async () => {
  // A dataset where one photo of a heron was also saved, smaller and as a JPEG, among the egrets.
  dataset = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-e2e-near-dup-'));
  const put = async (rel: string, bytes: Buffer | Promise<Buffer>) => {
    fs.mkdirSync(path.dirname(path.join(dataset, rel)), { recursive: true });
    fs.writeFileSync(path.join(dataset, rel), await bytes);
  };
  const heron = await drawn(0);
  await put('heron/heron-0412.png', heron);
  await put(
    'egret/IMG_0412-small.jpg',
    sharp(heron)
      .resize(W / 2)
      .jpeg({ quality: 60 })
      .toBuffer(),
  );
  await put('egret/egret-0007.png', drawn(1));
  await put(
    'heron/2025/heron-0413.png',
    sharp(await drawn(1))
      .flop()
      .png()
      .toBuffer(),
  ); // a nested folder
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
  if (dataset) fs.rmSync(dataset, { recursive: true, force: true });
});

test('the Dataset step shows a near-duplicate pair across classes with both previews', async ({ page }) => {
  await page.goto(serve.url);
  await page.goto(`${serve.origin}/#/new/dataset`);
  const field = page.getByRole('combobox', { name: 'Folder with your images' });
  await field.fill(dataset);
  await page.getByRole('button', { name: 'Scan folder' }).click();
  const panel = page.getByRole('region', { name: 'Near-duplicates across classes' });
  const pair = panel.getByRole('listitem', { name: 'egret/IMG_0412-small.jpg and heron/heron-0412.png' });
  await expect(pair).toBeVisible({ timeout: 60_000 });
  await expect(pair.getByRole('img', { name: 'heron/heron-0412.png (class heron)' })).toBeVisible();
  await expect(pair.getByRole('img', { name: 'egret/IMG_0412-small.jpg (class egret)' })).toBeVisible();
  await expect(panel.getByRole('listitem')).toHaveCount(1); // the two different pictures are no pair
  const notes = page.getByRole('list', { name: 'Dataset warnings' });
  await expect(notes.getByRole('listitem', { name: 'Sub-folders counted in their class' })).toContainText(
    'heron/2025/ (1 image in “heron”)',
  );
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENS}/dataset-near-duplicates.png`, fullPage: true });
});
