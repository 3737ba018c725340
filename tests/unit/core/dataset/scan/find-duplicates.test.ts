import { afterEach, describe, expect, it } from 'vitest';
import {
  classifyDuplicates,
  DuplicateIndex,
  findDuplicates,
} from '../../../../../electron/core/dataset/scan/find-duplicates';
import type { ImageRecord } from '../../../../../electron/core/dataset/scan/inspect-image-file';
import { scanDataset } from '../../../../../electron/core/dataset/scan/scan-dataset';
import { fixture, makePng, tempFolder, withJpegComment, type TempFolder } from '../dataset-files';

let folder: TempFolder;
afterEach(() => folder?.cleanup());

const warning = (scan: Awaited<ReturnType<typeof scanDataset>>, code: string) =>
  scan.warnings.find((w) => w.code === code);

describe('duplicates found by a scan', () => {
  it('the same picture in two classes, and copies within one class that an automatic split may separate', async () => {
    folder = tempFolder();
    const photo = withJpegComment(fixture('baseline-80x60.jpg'), 'p'.repeat(20_000)); // larger than head + tail
    folder.write('cat/a.jpg', photo);
    folder.write('dog/b.jpg', photo);
    folder.write('cat/c.png', makePng(64, 64, 5));
    folder.write('cat/copy of c.png', makePng(64, 64, 5));
    for (let i = 0; i < 3; i++) folder.write(`dog/${i}.png`, makePng(64, 64, 10 + i));
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    expect(warning(scan, 'duplicates_across_classes')).toMatchObject({
      count: 2,
      examples: ['cat/a.jpg', 'dog/b.jpg'],
    });
    expect(warning(scan, 'duplicates_across_split')).toMatchObject({
      count: 2,
      examples: ['cat/c.png', 'cat/copy of c.png'],
    });
  });

  it('files that agree in size, start and end but differ in the middle are not duplicates', async () => {
    folder = tempFolder();
    const base = fixture('baseline-80x60.jpg');
    const filler = (mark: string) => `${'a'.repeat(10_000)}${mark}${'a'.repeat(10_000)}`;
    folder.write('cat/a.jpg', withJpegComment(base, filler('X')));
    folder.write('dog/b.jpg', withJpegComment(base, filler('Y')));
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    expect(scan.totalImages).toBe(2);
    expect(warning(scan, 'duplicates_across_classes')).toBeUndefined();
  });

  it('same-size images with different content are not duplicates', async () => {
    folder = tempFolder();
    folder.write('cat/a.png', makePng(64, 64, 1));
    folder.write('dog/a.png', makePng(64, 64, 2));
    const scan = await scanDataset(folder.root, { valRatio: 0.2 });
    expect(warning(scan, 'duplicates_across_classes')).toBeUndefined();
  });
});

const record = (
  path: string,
  classIndex: number,
  part: ImageRecord['part'],
  size = 10,
  fingerprint = 'f',
): ImageRecord => ({
  path,
  absolute: `/nowhere/${path}`,
  classIndex,
  part,
  format: 'png',
  width: 100,
  height: 100,
  size,
  fingerprint,
  whole: true,
});

describe('DuplicateIndex and classifyDuplicates', () => {
  it('groups only images with equal size and fingerprint', () => {
    const images = [
      record('a', 0, null, 10, 'x'),
      record('b', 1, null, 10, 'x'),
      record('c', 1, null, 11, 'x'),
      record('d', 0, null, 10, 'y'),
    ];
    const index = new DuplicateIndex();
    images.forEach((image, i) => index.add(i, image));
    expect(index.candidates()).toEqual([[0, 1]]);
  });

  it('split layout: same class in train and val is a leak; copies inside train/ alone are not reported', () => {
    const findings = classifyDuplicates(
      [
        [record('train/a/1', 0, 'train'), record('val/a/2', 0, 'val')],
        [record('train/a/3', 0, 'train'), record('train/a/4', 0, 'train')],
      ],
      'split',
    );
    expect(findings).toEqual({ acrossClasses: [], acrossSplit: [['train/a/1', 'val/a/2']] });
  });

  it('class-folders layout: different classes, and two copies in one class', () => {
    const findings = classifyDuplicates(
      [[record('a/1', 0, null), record('b/1', 1, null), record('b/2', 1, null)]],
      'class-folders',
    );
    expect(findings.acrossClasses).toEqual([['a/1', 'b/1', 'b/2']]);
    expect(findings.acrossSplit).toEqual([['a/1', 'b/1', 'b/2']]);
  });

  it('never hashes sets that cannot matter (copies inside one part of one class)', async () => {
    const images = [record('train/a/1', 0, 'train'), record('train/a/2', 0, 'train')].map((r) => ({
      ...r,
      whole: false,
    }));
    const index = new DuplicateIndex();
    images.forEach((image, i) => index.add(i, image));
    // The files do not exist: hashing them would make them differ ("unreadable"), but they are not even read.
    const signal = new AbortController().signal;
    expect(await findDuplicates(images, index, { layout: 'split', signal, concurrency: 2 })).toEqual({
      acrossClasses: [],
      acrossSplit: [],
    });
  });
});
