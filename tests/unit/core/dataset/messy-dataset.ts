// The datasets most scan tests read: one class-folders dataset with every kind of file the scan must
// handle, and one split dataset. Real files in a temp folder; the caller cleans up.
import path from 'node:path';
import { bombPng, fixture, makePng, tempFolder, type TempFolder } from './dataset-files';

/** A class-folders dataset with every kind of file the scan must handle. */
export function messyDataset(outside: TempFolder, { absoluteLink = true } = {}): TempFolder {
  const t = tempFolder();
  const formats = ['baseline-80x60.jpg', 'progressive-64x48.jpg', 'rgb-90x70.png', 'anim-40x30.gif'];
  formats.push('rgb-50x40.bmp', 'lossy-100x80.webp', 'alpha-66x44.webp', 'le-30x20.tif', 'be-12x10.tif');
  for (const name of formats) t.write(`cats/${name}`, `fixture:${name}`);
  t.write('cats/UPPER CASE.JPG', 'fixture:gray-70x50.jpg');
  t.write('cats/sub dir/deeper/ünïcødé name 1.png', makePng(80, 80, 1));
  t.write('cats/sub dir/photo.jpeg', 'fixture:exif-thumb-160x120.jpg');
  t.write('cats/renamed.jpg', makePng(70, 70, 9)); // a PNG named .jpg: Pillow opens it, so it is used
  t.link('cats/inside.png', 'sub dir/deeper/ünïcødé name 1.png'); // a relative link inside the folder: used
  // every bad kind, each with its expected code
  t.write('cats/.hidden.jpg', 'fixture:baseline-80x60.jpg');
  t.write('cats/Thumbs.db', 'x');
  t.write('cats/__MACOSX/cats/._a.jpg', 'x');
  t.write('cats/notes.txt', 'not an image');
  t.write('cats/empty.jpg', Buffer.alloc(0));
  t.write('cats/corrupt.jpg', Buffer.from('definitely not a JPEG'));
  t.write('cats/truncated.jpg', fixture('baseline-80x60.jpg').subarray(0, 700));
  t.write('cats/bomb.png', bombPng(20_000, 20_000));
  t.link('cats/loop', '.');
  t.link('cats/broken.jpg', 'does-not-exist.jpg');
  for (let i = 0; i < 10; i++) t.write(`dogs/dog ${i}.png`, makePng(96, 96, 100 + i));
  // absolute: the container cannot follow it (the trainer run on this machine could, so its cross-check leaves it out)
  if (absoluteLink) t.link('cats/abs-inside.png', path.join(t.root, 'dogs', 'dog 0.png'));
  t.link('cats/elsewhere.png', path.relative(path.join(t.root, 'cats'), outside.write('real.png', makePng(64, 64, 7))));
  t.mkdir('empty-class');
  t.link('linked-class', path.join(t.root, 'dogs'));
  t.mkdir('lost+found');
  t.write('one/only.png', makePng(64, 64, 200));
  for (let i = 0; i < 10; i++) t.write(`Ünïcødé class/${i}.png`, makePng(72, 72, 300 + i));
  t.write('loose.jpg', 'fixture:baseline-80x60.jpg');
  t.write('README.md', '# my dataset');
  t.write('.DS_Store', 'x');
  return t;
}

/** A split dataset: train/ and val/ (named as given) with a leak, a class missing from each side, and strays. */
export function splitDataset(trainName = 'train', valName = 'val'): TempFolder {
  const t = tempFolder();
  for (let i = 0; i < 12; i++) t.write(`${trainName}/cat/${i}.png`, makePng(64, 64, i));
  for (let i = 0; i < 12; i++) t.write(`${trainName}/dog/${i}.png`, makePng(64, 64, 50 + i));
  t.write(`${trainName}/only-train/a.png`, makePng(64, 64, 90));
  for (let i = 0; i < 3; i++) t.write(`${valName}/cat/${i}.png`, makePng(64, 64, 20 + i));
  t.write(`${valName}/dog/leak.png`, makePng(64, 64, 50)); // identical to train/dog/0.png
  t.write(`${valName}/only-val/a.png`, makePng(64, 64, 91));
  t.write(`${trainName}/stray.png`, makePng(64, 64, 99));
  t.write('test/cat/0.png', makePng(64, 64, 77));
  return t;
}
