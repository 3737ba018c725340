import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, DatasetScan, type DatasetSkippedFile } from '../../../../electron/contract';
import { scanDataset, type ScanProgress } from '../../../../electron/core/dataset/scan-dataset';
import { bombPng, fixture, makePng, tempFolder, type TempFolder } from './dataset-files';
import { snapshotFolder } from './folder-snapshot';

let folder: TempFolder;
afterEach(() => folder?.cleanup());

/** A class-folders dataset with every kind of file the scan must handle. */
function messyDataset(): TempFolder {
  const t = tempFolder();
  const formats = ['baseline-80x60.jpg', 'progressive-64x48.jpg', 'rgb-90x70.png', 'anim-40x30.gif'];
  formats.push('rgb-50x40.bmp', 'lossy-100x80.webp', 'alpha-66x44.webp', 'le-30x20.tif', 'be-12x10.tif');
  for (const name of formats) t.write(`cats/${name}`, `fixture:${name}`);
  t.write('cats/UPPER CASE.JPG', 'fixture:gray-70x50.jpg');
  t.write('cats/sub dir/deeper/ünïcødé name 1.png', makePng(80, 80, 1));
  t.write('cats/sub dir/photo.jpeg', 'fixture:exif-thumb-160x120.jpg');
  // every bad kind, each with its expected code
  t.write('cats/.hidden.jpg', 'fixture:baseline-80x60.jpg');
  t.write('cats/Thumbs.db', 'x');
  t.write('cats/__MACOSX/cats/._a.jpg', 'x');
  t.write('cats/notes.txt', 'not an image');
  t.write('cats/empty.jpg', Buffer.alloc(0));
  t.write('cats/corrupt.jpg', Buffer.from('definitely not a JPEG'));
  t.write('cats/truncated.jpg', fixture('baseline-80x60.jpg').subarray(0, 700));
  t.write('cats/bomb.png', bombPng(20_000, 20_000));
  t.write('cats/renamed.jpg', makePng(70, 70, 9));
  t.link('cats/loop', '.');
  t.link('cats/broken.jpg', 'does-not-exist.jpg');
  for (let i = 0; i < 10; i++) t.write(`dogs/dog ${i}.png`, makePng(96, 96, 100 + i));
  t.mkdir('empty-class');
  t.write('one/only.png', makePng(64, 64, 200));
  for (let i = 0; i < 10; i++) t.write(`Ünïcødé class/${i}.png`, makePng(72, 72, 300 + i));
  t.write('loose.jpg', 'fixture:baseline-80x60.jpg');
  t.write('README.md', '# my dataset');
  t.write('.DS_Store', 'x');
  return t;
}

const EXPECTED_SKIPS: Array<[string, DatasetSkippedFile['code']]> = [
  ['.DS_Store', 'hidden'],
  ['README.md', 'not_image'],
  ['cats/.hidden.jpg', 'hidden'],
  ['cats/Thumbs.db', 'hidden'],
  ['cats/__MACOSX/', 'hidden'],
  ['cats/bomb.png', 'too_large'],
  ['cats/broken.jpg', 'broken_link'],
  ['cats/corrupt.jpg', 'corrupt'],
  ['cats/empty.jpg', 'empty'],
  ['cats/loop/', 'link_loop'],
  ['cats/notes.txt', 'not_image'],
  ['cats/renamed.jpg', 'wrong_extension'],
  ['cats/truncated.jpg', 'truncated'],
  ['loose.jpg', 'not_in_class'],
];

describe('scanDataset on a class-folders dataset with every bad kind of file', () => {
  it('counts the usable images per class and says why each other file was left out', async () => {
    folder = messyDataset();
    const scan = DatasetScan.parse(await scanDataset(folder.root, { valRatio: 0.2 }));
    expect(scan.layout).toBe('class-folders');
    expect(scan.split).toEqual({ kind: 'auto', valRatio: 0.2, valFolder: null });
    // sorted by code point like Python's sorted(): "Ü" (U+00DC) after the lower-case names
    expect(scan.classes.map((c) => [c.name, c.train, c.val])).toEqual([
      ['cats', 10, 2],
      ['dogs', 8, 2],
      ['empty-class', 0, 0],
      ['one', 1, 0],
      ['Ünïcødé class', 8, 2],
    ]);
    expect(scan.totalImages).toBe(12 + 10 + 1 + 10);
    expect(scan.skipped.map((s) => [s.path, s.code])).toEqual(EXPECTED_SKIPS);
    expect(scan.skippedTotal).toBe(EXPECTED_SKIPS.length);
    expect(scan.skippedByCode.find((b) => b.code === 'hidden')?.count).toBe(4);
    for (const s of scan.skipped) expect(s.reason.length).toBeGreaterThan(4);
    expect(scan.canTrain).toBe(true);
  });

  it('finds images in nested folders, with spaces and unicode in names, and shows a few per class', async () => {
    folder = messyDataset();
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
    folder = messyDataset();
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    const byCode = Object.fromEntries(scan.warnings.map((w) => [w.code, w]));
    expect(byCode.empty_class).toMatchObject({ count: 1, examples: ['empty-class'] });
    expect(byCode.tiny_class).toMatchObject({ count: 1, examples: ['one'] });
    expect(byCode.skipped_files?.count).toBe(EXPECTED_SKIPS.length - 4); // hidden files are not worth a warning
    expect(byCode.skipped_files?.message).toContain('1 damaged');
    expect(byCode.small_images?.count).toBe(8); // the fixtures under 64 px on the shorter side
    expect(byCode.few_images?.count).toBe(33);
    expect(byCode.imbalance?.examples).toEqual(['one']);
    for (const w of scan.warnings) expect(w.fix).toBeTruthy();
  });

  it('leaves the folder byte-for-byte and mtime-unchanged', async () => {
    folder = messyDataset();
    const before = snapshotFolder(folder.root);
    await scanDataset(folder.root, { valRatio: 0.2 });
    expect(snapshotFolder(folder.root)).toEqual(before);
  });

  it('reports progress: listing, reading with a total, and done, with counts that only grow', async () => {
    folder = messyDataset();
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

  it('stops with a typed "cancelled" error when its signal fires', async () => {
    folder = messyDataset();
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

describe('scanDataset on an existing train/val split', () => {
  function splitDataset(valName = 'val'): TempFolder {
    const t = tempFolder();
    for (let i = 0; i < 12; i++) t.write(`train/cat/${i}.png`, makePng(64, 64, i));
    for (let i = 0; i < 12; i++) t.write(`train/dog/${i}.png`, makePng(64, 64, 50 + i));
    t.write('train/only-train/a.png', makePng(64, 64, 90));
    for (let i = 0; i < 3; i++) t.write(`${valName}/cat/${i}.png`, makePng(64, 64, 20 + i));
    t.write(`${valName}/dog/leak.png`, makePng(64, 64, 50)); // identical to train/dog/0.png
    t.write('train/stray.png', makePng(64, 64, 99));
    t.write('test/cat/0.png', makePng(64, 64, 77));
    return t;
  }

  it('uses the folders as they are, and unions the class names of both parts', async () => {
    folder = splitDataset();
    const scan = await scanDataset(folder.root, { valRatio: 0.3 });
    expect(scan.layout).toBe('split');
    expect(scan.split).toEqual({ kind: 'existing', valRatio: null, valFolder: 'val' });
    expect(scan.classes.map((c) => [c.name, c.train, c.val])).toEqual([
      ['cat', 12, 3],
      ['dog', 12, 1],
      ['only-train', 1, 0],
    ]);
    expect(scan.skipped.map((s) => [s.path, s.code])).toEqual([
      ['test/', 'unused_folder'],
      ['train/stray.png', 'not_in_class'],
    ]);
  });

  it('finds images identical between train/ and val/, and classes missing from val/', async () => {
    folder = splitDataset();
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    const leak = scan.warnings.find((w) => w.code === 'duplicates_across_split');
    expect(leak?.examples).toEqual(['train/dog/0.png', 'val/dog/leak.png']);
    const missing = scan.warnings.filter((w) => w.code === 'empty_class').map((w) => w.examples);
    expect(missing).toEqual([['only-train']]);
  });

  it('accepts validation/ as the validation folder', async () => {
    folder = splitDataset('validation');
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    expect(scan.split.valFolder).toBe('validation');
    expect(scan.classes.find((c) => c.name === 'cat')?.val).toBe(3);
  });

  it('treats train/ and val/ without class folders inside as two classes', async () => {
    folder = tempFolder();
    for (let i = 0; i < 4; i++) folder.write(`train/${i}.png`, makePng(64, 64, i));
    for (let i = 0; i < 4; i++) folder.write(`val/${i}.png`, makePng(64, 64, 10 + i));
    const scan = await scanDataset(folder.root, { valRatio: 0.25 });
    expect(scan.layout).toBe('class-folders');
    expect(scan.classes.map((c) => [c.name, c.train, c.val])).toEqual([
      ['train', 3, 1],
      ['val', 3, 1],
    ]);
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

  it.skipIf(process.getuid?.() === 0)('a folder it may not read: dataset_invalid', async () => {
    folder = tempFolder();
    const locked = folder.mkdir('locked');
    fs.chmodSync(locked, 0);
    try {
      expect((await failure(locked)).kind).toBe('dataset_invalid');
    } finally {
      fs.chmodSync(locked, 0o755);
    }
  });
});
