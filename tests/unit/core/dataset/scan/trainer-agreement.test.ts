// Runs the trainer's own dataset code (docker/deit_trainer: scan, full decode with Pillow, split) on the
// same folders as the scan and checks that both find the same classes, the same counts and the same
// left-out files. It needs a Python with Pillow and numpy: set DEIT_TRAINER_PYTHON to it (and
// DEIT_TRAINER_DIR when docker/ is elsewhere). `npm test` provides it (scripts/test-env.sh); without it
// the test fails, saying how to get it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanDataset } from '../../../../../electron/core/dataset/scan/scan-dataset';
import { makePng, tempFolder, type TempFolder } from '../dataset-files';
import { messyDataset, splitDataset } from '../messy-dataset';

const python = process.env.DEIT_TRAINER_PYTHON;
const trainerDir = path.resolve(process.env.DEIT_TRAINER_DIR ?? 'docker');

/** Fails loudly when the prerequisite is missing, instead of skipping. */
function requirePython(): string {
  if (!python) {
    throw new Error(
      'DEIT_TRAINER_PYTHON is not set: run `bash scripts/test-env.sh` and export what it prints ' +
        '(npm test does both), or point it at a Python with Pillow and numpy.',
    );
  }
  if (!fs.existsSync(path.join(trainerDir, 'deit_trainer', 'dataset.py')))
    throw new Error(`No trainer at ${trainerDir}.`);
  return python;
}

const DRIVER = `
import json, os, sys
sys.path.insert(0, sys.argv[1])
from deit_trainer.dataset import finish_dataset, scan_dataset
from deit_trainer.decode import BadImage, load_rgb
from deit_trainer.narrate import Narrator
root, ratio = sys.argv[2], float(sys.argv[3])
scan = scan_dataset(root)
bad = {}
for rel in scan.candidates():
    try:
        load_rgb(os.path.join(root, rel))
    except BadImage as e:
        bad[rel] = str(e)
data = finish_dataset(scan, bad, ratio, 0, lambda code, message: None)
# What the trainer tells the user (train.log, the dashboard's files_skipped total, report.md count len(data.skipped))
said = Narrator().line({"type": "files_skipped", "files": [], "total": len(data.skipped)})
print(json.dumps({"said": said, "layout": data.layout, "classes": data.classes, "train": data.per_class(data.train),
                  "val": data.per_class(data.val), "test": data.per_class(data.test),
                  "skipped": sorted(p for p, _ in data.skipped)}))
`;

const folders: TempFolder[] = [];
afterEach(() => folders.splice(0).forEach((f) => f.cleanup()));

async function compare(root: string, ratio: number) {
  const run = spawnSync(requirePython(), ['-c', DRIVER, trainerDir, root, String(ratio)], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const trainer = JSON.parse(run.stdout) as {
    layout: string;
    classes: string[];
    train: number[];
    val: number[];
    test: number[];
    skipped: string[];
    said: string;
  };
  const scan = await scanDataset(root, { valRatio: ratio });
  // One left-out count: the scan's facts line, its warning and the trainer's log say the same number.
  expect(scan.skippedTotal).toBe(trainer.skipped.length);
  expect(trainer.said).toMatch(new RegExp(`^${scan.skippedTotal} files? (is|are) left out`));
  const warning = scan.warnings.find((w) => w.code === 'skipped_files');
  if (warning) expect(warning.message).toMatch(new RegExp(`^${scan.skippedTotal} files? (is|are) left out`));
  expect(scan.layout).toBe(trainer.layout);
  expect(scan.classes.map((c) => [c.name, c.train, c.val, c.test ?? 0])).toEqual(
    trainer.classes.map((name, i) => [name, trainer.train[i], trainer.val[i], trainer.test[i]]),
  );
  // Folders are listed with a trailing "/" by the scan, without by the trainer.
  expect(scan.skipped.map((s) => s.path.replace(/\/$/, '')).sort()).toEqual(
    trainer.skipped.map((p) => p.split(path.sep).join('/')).sort(),
  );
}

describe('agreement with the trainer (DEIT_TRAINER_PYTHON, docker/deit_trainer)', () => {
  it('class-folders: the same classes, counts after the automatic split, and left-out files', async () => {
    const outside = tempFolder('deit-outside-');
    folders.push(outside);
    // An absolute link resolves on this machine but not in the container; the trainer run here would use it.
    const folder = messyDataset(outside, { absoluteLink: false });
    folders.push(folder);
    await compare(folder.root, 0.25);
  });

  it('class-folders with a test/ folder and many images: the same per-file split, test split and left-out files', async () => {
    const folder = tempFolder();
    folders.push(folder);
    for (const [c, n] of [
      ['a', 60],
      ['b', 23],
      ['c', 2],
      ['d', 1],
    ] as const) {
      for (let i = 0; i < n; i++) folder.write(`${c}/${i % 3 ? 'sub/' : ''}${i}.png`, makePng(40, 40, i));
    }
    folder.write('test/a/t.png', makePng(40, 40, 1));
    folder.write('test/b/t.png', makePng(40, 40, 2));
    folder.write('test/zebra/t.png', makePng(40, 40, 3));
    for (const ratio of [0.05, 0.2, 0.35]) await compare(folder.root, ratio);
  });

  it('split layout: the same classes, counts and left-out files', async () => {
    const folder = splitDataset('Training', 'val');
    folders.push(folder);
    await compare(folder.root, 0.2);
  });
});
