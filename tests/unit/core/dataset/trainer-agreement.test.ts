// Runs the trainer's own dataset code (docker/deit_trainer: scan, full decode with Pillow, split) on the
// same folders as the scan and checks that both find the same classes, the same counts and the same
// left-out files. It needs a Python with Pillow and numpy: set DEIT_TRAINER_PYTHON to it (and
// DEIT_TRAINER_DIR when docker/ is elsewhere); without them the test is skipped, saying so.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanDataset } from '../../../../electron/core/dataset/scan-dataset';
import { tempFolder, type TempFolder } from './dataset-files';
import { messyDataset, splitDataset } from './messy-dataset';

const python = process.env.DEIT_TRAINER_PYTHON;
const trainerDir = path.resolve(process.env.DEIT_TRAINER_DIR ?? 'docker');
const ready = Boolean(python) && fs.existsSync(path.join(trainerDir, 'deit_trainer', 'dataset.py'));

const DRIVER = `
import json, os, sys
sys.path.insert(0, sys.argv[1])
from deit_trainer.dataset import finish_dataset, scan_dataset
from deit_trainer.decode import BadImage, load_rgb
root, ratio = sys.argv[2], float(sys.argv[3])
scan = scan_dataset(root)
bad = {}
for rel in scan.candidates():
    try:
        load_rgb(os.path.join(root, rel))
    except BadImage as e:
        bad[rel] = str(e)
data = finish_dataset(scan, bad, ratio, 0, lambda code, message: None)
print(json.dumps({"layout": data.layout, "classes": data.classes, "train": data.per_class(data.train),
                  "val": data.per_class(data.val), "skipped": sorted(p for p, _ in data.skipped)}))
`;

const folders: TempFolder[] = [];
afterEach(() => folders.splice(0).forEach((f) => f.cleanup()));

async function compare(root: string, ratio: number) {
  const run = spawnSync(python!, ['-c', DRIVER, trainerDir, root, String(ratio)], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const trainer = JSON.parse(run.stdout) as {
    layout: string;
    classes: string[];
    train: number[];
    val: number[];
    skipped: string[];
  };
  const scan = await scanDataset(root, { valRatio: ratio });
  expect(scan.layout).toBe(trainer.layout);
  expect(scan.classes.map((c) => [c.name, c.train, c.val])).toEqual(
    trainer.classes.map((name, i) => [name, trainer.train[i], trainer.val[i]]),
  );
  // Folders are listed with a trailing "/" by the scan, without by the trainer.
  expect(scan.skipped.map((s) => s.path.replace(/\/$/, '')).sort()).toEqual(
    trainer.skipped.map((p) => p.split(path.sep).join('/')).sort(),
  );
}

describe.skipIf(!ready)('agreement with the trainer (DEIT_TRAINER_PYTHON, docker/deit_trainer)', () => {
  it('class-folders: the same classes, counts after the automatic split, and left-out files', async () => {
    const outside = tempFolder('deit-outside-');
    folders.push(outside);
    // An absolute link resolves on this machine but not in the container; the trainer run here would use it.
    const folder = messyDataset(outside, { absoluteLink: false });
    folders.push(folder);
    await compare(folder.root, 0.25);
  });

  it('split layout: the same classes, counts and left-out files', async () => {
    const folder = splitDataset('Training', 'val');
    folders.push(folder);
    await compare(folder.root, 0.2);
  });
});

it.runIf(!ready)(
  'agreement with the trainer: skipped (set DEIT_TRAINER_PYTHON to a Python with Pillow and numpy)',
  () => {
    expect(ready).toBe(false);
  },
);
