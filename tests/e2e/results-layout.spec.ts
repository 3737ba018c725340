import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunSettings } from '../../electron/contract';
import { initialRunState } from '../../electron/core/runs/folder/run-files';
import { startServe, type ServeProcess } from './serve-process';

// The results view of a finished run fits a laptop's 1024 px without scrolling sideways (the methods
// report's image digest is one long word, and so are the run folder's paths), in serve mode (real
// Chromium, real core; a finished run folder is seeded, no training). Screenshot: test-results/screens/.

const SCREENS = 'test-results/screens';
const RUN = '20261128-1000-deit-tiny-layout';
// What report.py writes: the image with its full content digest, versions, and a long dataset path.
const DIGEST = `sha256:${'9f2c4be07a51d3e8'.repeat(4)}`;
const REPORT = `# Training deit_tiny_patch16_224 on 2 classes

## Setup

- Image: \`deit-studio/trainer:2f9c1e0b7d4a@${DIGEST}\`
- Versions: Python 3.11.11, PyTorch 2.6.0+cu124, torchvision 0.21.0+cu124, timm 1.0.15, CUDA 12.4

## Data

- Folder \`/data\`, layout \`class-folders\`, stratified split: val ratio 0.2, split seed 0
- 2 classes, 80 train images, 20 val images, 3 files left out (\`skipped.json\`); the split is in \`split.json\`
`;

let serve: ServeProcess;

function seedFinishedRun(dataDir: string): void {
  const dir = path.join(dataDir, 'runs', RUN);
  const write = (rel: string, data: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
  };
  const datasetPath = '/home/ada/datasets/field-recordings-2026/birds-of-the-northern-marshes/cleaned-and-sorted';
  const settings = RunSettings.parse({ datasetPath, modelId: 'deit_tiny_patch16_224', device: 'cpu' });
  write(
    'run.json',
    JSON.stringify({
      version: 1,
      id: RUN,
      name: 'Birds at 1024 px',
      createdAt: '2026-11-28T10:00:00.000Z',
      settings,
      image: null,
    }),
  );
  const state = { ...initialRunState(), status: 'finished', endedAt: '2026-11-28T10:30:00.000Z', epochsDone: 2 };
  write('state.json', JSON.stringify({ ...state, bestValTop1: 0.75 }));
  write(
    'eval/metrics.json',
    JSON.stringify({
      val_top1: 0.75,
      val_top5: 1,
      per_class: [
        { name: 'crow', precision: 0.8, recall: 0.7, f1: 0.75, support: 10 },
        { name: 'owl', precision: 0.7, recall: 0.8, f1: 0.75, support: 10 },
      ],
      confusion: {
        labels: ['crow', 'owl'],
        matrix: [
          [7, 3],
          [2, 8],
        ],
      },
    }),
  );
  write('export/model.onnx', Buffer.alloc(2048, 7));
  write('export/labels.json', '["crow","owl"]');
  write('report.md', REPORT);
}

test.beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-e2e-layout-'));
  seedFinishedRun(dataDir);
  serve = await startServe({ dataDir });
});

test.afterAll(async () => {
  await serve?.stop();
});

test('the results view fits 1024 px: no sideways scrolling, the image digest wraps', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(serve.url);
  await page.goto(`${serve.origin}/#/runs/${RUN}/results`);
  const report = page.getByRole('region', { name: 'Methods report' });
  await expect(report.getByText(DIGEST, { exact: false })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Exported model and files' })).toBeVisible();
  // The root element's own widths (this file compiles without the DOM library: the element is typed by Playwright).
  const sizes = await page.locator('html').evaluate((root) => ({
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
  }));
  expect(sizes.scrollWidth).toBeLessThanOrEqual(sizes.clientWidth);
  await page.screenshot({ path: `${SCREENS}/results-1024.png`, fullPage: true });
});
