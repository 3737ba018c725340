import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, DatasetScan, type DatasetSkippedFile } from '../../../../../electron/contract';
import { scanDataset, type ScanProgress } from '../../../../../electron/core/dataset/scan/scan-dataset';
import { makePng, tempFolder, type TempFolder } from '../dataset-files';
import { messyDataset, splitDataset } from '../messy-dataset';
import { snapshotFolder } from '../folder-snapshot';

let folder: TempFolder;
let outside: TempFolder;
beforeEach(() => (outside = tempFolder('deit-outside-')));
afterEach(() => {
  folder?.cleanup();
  outside.cleanup();
});

const EXPECTED_SKIPS: Array<[string, DatasetSkippedFile['code']]> = [
  ['.DS_Store', 'hidden'],
  ['README.md', 'not_in_class'],
  ['cats/.hidden.jpg', 'hidden'],
  ['cats/Thumbs.db', 'hidden'],
  ['cats/__MACOSX/', 'hidden'],
  ['cats/abs-inside.png', 'link_outside'],
  ['cats/bomb.png', 'too_large'],
  ['cats/broken.jpg', 'broken_link'],
  ['cats/corrupt.jpg', 'corrupt'],
  ['cats/elsewhere.png', 'link_outside'],
  ['cats/empty.jpg', 'empty'],
  ['cats/loop', 'link_not_followed'],
  ['cats/notes.txt', 'not_image'],
  ['cats/truncated.jpg', 'truncated'],
  ['empty-class/', 'empty_class'],
  ['linked-class', 'link_not_followed'],
  ['loose.jpg', 'not_in_class'],
  ['lost+found/', 'hidden'],
];
const HIDDEN = EXPECTED_SKIPS.filter(([, code]) => code === 'hidden').length;

describe('scanDataset on a class-folders dataset with every bad kind of file', () => {
  it('counts the usable images per class and says why each other file was left out', async () => {
    folder = messyDataset(outside);
    const scan = DatasetScan.parse(await scanDataset(folder.root, { valRatio: 0.2 }));
    expect(scan.layout).toBe('class-folders');
    expect(scan.split).toEqual({ kind: 'auto', valRatio: 0.2, trainFolder: null, valFolder: null });
    // Sorted by code point like Python's sorted(): "Ü" (U+00DC) after the lower-case names. The empty
    // class folder is not a class. Validation: the files whose own draw is below 0.2 (trainer-agreement
    // checks that the trainer picks the same), 2 of the 14 cats.
    expect(scan.classes.map((c) => [c.name, c.train, c.val])).toEqual([
      ['cats', 12, 2],
      ['dogs', 8, 2],
      ['one', 1, 0],
      ['Ünïcødé class', 8, 2],
    ]);
    expect(scan.totalImages).toBe(14 + 10 + 1 + 10);
    expect(scan.skipped.map((s) => [s.path, s.code])).toEqual(EXPECTED_SKIPS);
    expect(scan.skippedTotal).toBe(EXPECTED_SKIPS.length);
    expect(scan.skippedByCode.find((b) => b.code === 'hidden')?.count).toBe(HIDDEN);
    for (const s of scan.skipped) expect(s.reason.length).toBeGreaterThan(4);
    expect(scan.canTrain).toBe(true);
  });

  it('finds images in nested folders, with spaces and unicode in names, and shows a few per class', async () => {
    folder = messyDataset(outside);
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    const cats = scan.classes.find((c) => c.name === 'cats')!;
    expect(cats.samples).toHaveLength(4);
    for (const sample of cats.samples) expect(fs.existsSync(path.join(folder.root, sample))).toBe(true);
    const one = scan.classes.find((c) => c.name === 'one')!;
    expect(one.samples).toEqual(['one/only.png']);
    const again = await scanDataset(folder.root, { valRatio: 0.2 });
    expect(again.classes.map((c) => c.samples)).toEqual(scan.classes.map((c) => c.samples)); // repeatable
  });

  it('warns about the empty class, the tiny class, skipped files, small images and few images', async () => {
    folder = messyDataset(outside);
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    const byCode = Object.fromEntries(scan.warnings.map((w) => [w.code, w]));
    expect(byCode.empty_class).toMatchObject({ count: 1, examples: ['empty-class'] });
    expect(byCode.tiny_class).toMatchObject({ count: 1, examples: ['one'] });
    // One left-out count everywhere: the facts line, this warning and the trainer's skipped.json count all.
    expect(byCode.skipped_files?.count).toBe(scan.skippedTotal);
    expect(byCode.skipped_files?.message).toMatch(new RegExp(`^${scan.skippedTotal} files are left out: `));
    expect(byCode.skipped_files?.message).toContain(`${HIDDEN} hidden or system files`);
    expect(byCode.skipped_files?.message).toContain('1 damaged');
    // The nested folder of cats/ is counted in cats, and said so.
    expect(byCode.nested_folders).toMatchObject({ count: 1, examples: ['cats/sub dir/'] });
    expect(byCode.nested_folders?.message).toContain('cats/sub dir/ (2 images in “cats”)');
    expect(byCode.small_images?.count).toBe(8); // the fixtures under 64 px on the shorter side
    expect(byCode.few_images?.count).toBe(35);
    // the link inside the folder and its target are the same picture twice in one class
    expect(byCode.duplicates_across_split?.examples).toEqual([
      'cats/inside.png',
      'cats/sub dir/deeper/ünïcødé name 1.png',
    ]);
    expect(byCode.imbalance?.examples).toEqual(['one']);
    for (const w of scan.warnings) expect(w.fix).toBeTruthy();
  });

  it('leaves the folder byte-for-byte and mtime-unchanged', async () => {
    folder = messyDataset(outside);
    const before = snapshotFolder(folder.root);
    await scanDataset(folder.root, { valRatio: 0.2 });
    expect(snapshotFolder(folder.root)).toEqual(before);
  });

  it('reports progress: listing, reading with a total, and done, with counts that only grow', async () => {
    folder = messyDataset(outside);
    const events: ScanProgress[] = [];
    await scanDataset(folder.root, { valRatio: 0.2, onProgress: (p) => events.push(p), progressIntervalMs: 0 });
    expect(events[0]).toEqual({ filesSeen: 0, filesRead: 0, filesTotal: null, phase: 'listing' });
    expect(events.at(-1)).toMatchObject({ phase: 'done', filesRead: events.at(-1)!.filesTotal });
    const phases = [...new Set(events.map((e) => e.phase))];
    expect(phases).toEqual(['listing', 'reading', 'done']);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.filesSeen).toBeGreaterThanOrEqual(events[i - 1]!.filesSeen);
      expect(events[i]!.filesRead).toBeGreaterThanOrEqual(events[i - 1]!.filesRead);
    }
  });

  it('walks folders nested deeper than its concurrency without deadlock', async () => {
    folder = tempFolder();
    const deep = Array.from({ length: 30 }, (_, i) => `d${i}`).join('/');
    folder.write(`cats/${deep}/deep.png`, makePng(64, 64, 1));
    folder.write('dogs/a.png', makePng(64, 64, 2));
    const scan = await scanDataset(folder.root, { valRatio: 0.2, concurrency: 2 });
    expect(scan.classes.map((c) => c.train + c.val)).toEqual([1, 1]);
  });

  it.skipIf(process.platform === 'win32')('skips a FIFO named like an image instead of hanging on it', async () => {
    folder = tempFolder();
    folder.write('cats/a.png', makePng(64, 64, 1));
    execFileSync('mkfifo', [path.join(folder.root, 'cats', 'pipe.jpg')]);
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    expect(scan.skipped).toEqual([{ path: 'cats/pipe.jpg', code: 'not_image', reason: 'not a regular file' }]);
  });

  it('stops with a typed "cancelled" error when its signal fires', async () => {
    folder = messyDataset(outside);
    const controller = new AbortController();
    const scan = scanDataset(folder.root, {
      valRatio: 0.2,
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (p) => p.phase === 'reading' && controller.abort(),
    });
    await expect(scan).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('scanDataset on class folders with a test/ folder beside them', () => {
  it('reads test/ as the test split, not as a class, and leaves out its unknown classes', async () => {
    folder = tempFolder();
    for (let i = 0; i < 6; i++) folder.write(`cat/${i}.png`, makePng(64, 64, i));
    for (let i = 0; i < 6; i++) folder.write(`dog/${i}.png`, makePng(64, 64, 20 + i));
    folder.write('Test/cat/t.png', makePng(64, 64, 40));
    folder.write('Test/dog/t.png', makePng(64, 64, 41));
    folder.write('Test/dog/u.png', makePng(64, 64, 42));
    folder.write('Test/zebra/z.png', makePng(64, 64, 43));
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    expect(scan.layout).toBe('class-folders');
    expect(scan.classes.map((c) => [c.name, c.train + c.val, c.test])).toEqual([
      ['cat', 6, 1],
      ['dog', 6, 2],
    ]);
    expect(scan.skipped.map((s) => [s.path, s.code])).toEqual([['Test/zebra/', 'unused_folder']]);
  });

  it('keeps a folder named test as a class when nothing in it is named like the other classes', async () => {
    folder = tempFolder();
    for (let i = 0; i < 4; i++) folder.write(`test/${i}.png`, makePng(64, 64, i));
    for (let i = 0; i < 4; i++) folder.write(`prod/${i}.png`, makePng(64, 64, 10 + i));
    const scan = await scanDataset(folder.root, { valRatio: 0.25 });
    expect(scan.classes.map((c) => [c.name, c.train + c.val, c.test])).toEqual([
      ['prod', 4, undefined],
      ['test', 4, undefined],
    ]);
  });
});

describe('scanDataset on an existing train/val split', () => {
  it('uses the folders as they are; the classes are those of the training folder', async () => {
    folder = splitDataset();
    const scan = await scanDataset(folder.root, { valRatio: 0.3 });
    expect(scan.layout).toBe('split');
    expect(scan.split).toEqual({ kind: 'existing', valRatio: null, trainFolder: 'train', valFolder: 'val' });
    // test/ beside train/ and val/ is the test split: counted apart, not a class, not left out
    expect(scan.classes.map((c) => [c.name, c.train, c.val, c.test])).toEqual([
      ['cat', 12, 3, 1],
      ['dog', 12, 1, 0],
      ['only-train', 1, 0, 0],
    ]);
    expect(scan.skipped.map((s) => [s.path, s.code])).toEqual([
      ['train/stray.png', 'not_in_class'],
      ['val/only-val/', 'unused_folder'],
    ]);
  });

  it('finds images identical between train/ and val/, classes missing from val/, and val/ classes missing from train/', async () => {
    folder = splitDataset();
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    const warning = (code: string) => scan.warnings.filter((w) => w.code === code).map((w) => w.examples);
    expect(warning('duplicates_across_split')).toEqual([['train/dog/0.png', 'val/dog/leak.png']]);
    expect(warning('empty_class')).toEqual([['only-train']]);
    expect(warning('val_class_unknown')).toEqual([['only-val']]);
  });

  it('accepts training/ and valid/ or validation/, in any case', async () => {
    folder = splitDataset('Training', 'validation');
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    expect(scan.split).toMatchObject({ trainFolder: 'Training', valFolder: 'validation' });
    expect(scan.classes.find((c) => c.name === 'cat')).toMatchObject({ train: 12, val: 3 });
  });

  it('train/ and val/ without class folders inside: dataset_invalid, as for the trainer', async () => {
    folder = tempFolder();
    for (let i = 0; i < 4; i++) folder.write(`train/${i}.png`, makePng(64, 64, i));
    for (let i = 0; i < 4; i++) folder.write(`val/${i}.png`, makePng(64, 64, 10 + i));
    await expect(scanDataset(folder.root, { valRatio: 0.25 })).rejects.toMatchObject({
      kind: 'dataset_invalid',
      message: expect.stringContaining('train/'),
    });
  });
});

describe('scanDataset refuses folders it cannot use, with typed errors', () => {
  const failure = async (root: string) => {
    const error = await scanDataset(root, { valRatio: 0.2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).fix).toBeTruthy();
    return error as AppError;
  };

  it('a folder that does not exist: not_found', async () => {
    folder = tempFolder();
    expect((await failure(path.join(folder.root, 'nope'))).kind).toBe('not_found');
  });

  it('a file instead of a folder: dataset_invalid', async () => {
    folder = tempFolder();
    expect((await failure(folder.write('a.png', makePng(4, 4)))).kind).toBe('dataset_invalid');
  });

  it('images without class folders: dataset_invalid, saying how many images', async () => {
    folder = tempFolder();
    for (let i = 0; i < 3; i++) folder.write(`${i}.png`, makePng(4, 4, i));
    const error = await failure(folder.root);
    expect(error.kind).toBe('dataset_invalid');
    expect(error.message).toContain('3 images but no class folders');
  });

  it('an empty folder: dataset_invalid', async () => {
    folder = tempFolder();
    expect((await failure(folder.root)).kind).toBe('dataset_invalid');
  });

  it('class folders without a single usable image: a scan whose blocker says so', async () => {
    folder = tempFolder();
    folder.write('a/x.heic', 'not supported');
    folder.mkdir('b');
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    expect(scan.canTrain).toBe(false);
    expect(scan.warnings[0]).toMatchObject({ code: 'no_images', severity: 'blocker' });
  });

  it('a folder it may not read: dataset_invalid', async () => {
    folder = tempFolder();
    const locked = folder.mkdir('locked');
    for (const name of ['cats/1.png', 'dogs/1.png']) folder.write(`locked/${name}`, makePng(4, 4));
    fs.chmodSync(locked, 0);
    try {
      // Root reads any folder, so as root the scan runs as `nobody` in a child process.
      const error = process.getuid?.() === 0 ? await failureAsNobody(folder.root, locked) : await failure(locked);
      expect(error.kind).toBe('dataset_invalid');
      expect(error.message).toContain('not allowed to read');
      expect(error.fix).toContain('read permission');
    } finally {
      fs.chmodSync(locked, 0o755);
    }
  });
});

/** Runs `scanDataset(root)` as the user `nobody` (uid 65534) in a child Node process; returns its error. */
async function failureAsNobody(parent: string, root: string): Promise<{ kind: string; message: string; fix: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-scan-nobody-'));
  try {
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(parent, 0o755); // nobody may pass through the test folder, just not read `root`
    const script = path.join(dir, 'scan.mjs');
    await build({
      stdin: {
        contents: `import { scanDataset } from './electron/core/dataset/scan/scan-dataset';
          scanDataset(process.argv[2], { valRatio: 0.2 }).then(
            () => console.log(JSON.stringify({ kind: 'no error' })),
            (e) => console.log(JSON.stringify({ kind: e.kind, message: e.message, fix: e.fix })));`,
        resolveDir: path.resolve('.'),
        loader: 'ts',
      },
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
    });
    fs.chmodSync(script, 0o644);
    const child = spawnSync(process.execPath, [script, root], { uid: 65534, gid: 65534, encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { kind: string; message: string; fix: string };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
