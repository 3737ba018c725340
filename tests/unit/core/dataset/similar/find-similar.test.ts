// Near-duplicates across classes, on real images drawn here (gradients and shapes), encoded and
// re-encoded with sharp (libvips): a resized, re-compressed copy in another class is found; different
// pictures, and copies within one class, are not.
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, SimilarImages, type EventPayload, type Handlers } from '../../../../../electron/contract';
import type { CoreContext } from '../../../../../electron/core/context';
import { createDatasetHandlers } from '../../../../../electron/core/dataset/dataset-handlers';
import { clearSimilarCache, findSimilarAcrossClasses } from '../../../../../electron/core/dataset/similar/find-similar';
import {
  hammingDistance,
  hashThumbnail,
  NEAR_DUPLICATE_BITS,
  perceptualHash,
  type Hash64,
} from '../../../../../electron/core/dataset/similar/image-hash';
import type { ImageRecord } from '../../../../../electron/core/dataset/scan/inspect-image-file';
import { scanDataset } from '../../../../../electron/core/dataset/scan/scan-dataset';
import { EventBus } from '../../../../../electron/core/event-bus';
import { tempFolder, type TempFolder } from '../dataset-files';

const W = 320;
const H = 240;

/** An RGB picture: 0 a gradient with a red disc, 1 another gradient with a blue box, 2 a checkerboard. */
function draw(kind: number): Buffer {
  const px = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let rgb: [number, number, number];
      if (kind === 0) {
        const inDisc = (x - W * 0.35) ** 2 + (y - H * 0.5) ** 2 < (H * 0.25) ** 2;
        rgb = inDisc ? [240, 30, 30] : [(x * 255) / W, (y * 255) / H, 128];
      } else if (kind === 1) {
        const inBox = x > W * 0.55 && x < W * 0.85 && y > H * 0.2 && y < H * 0.7;
        rgb = inBox ? [20, 20, 220] : [60, 200 - (y * 150) / H, (x * 200) / W];
      } else {
        const square = ((x >> 4) + (y >> 4)) % 2;
        rgb = square ? [230, 200, (x + y) % 256] : [40, 60, (x + y) % 256];
      }
      px.set(rgb, (y * W + x) * 3);
    }
  }
  return px;
}

const png = (kind: number) =>
  sharp(draw(kind), { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toBuffer();
/** The same picture at half size, as a JPEG of quality 60: another file, nearly the same picture. */
const resizedJpeg = async (kind: number) =>
  sharp(await png(kind))
    .resize(W / 2)
    .jpeg({ quality: 60 })
    .toBuffer();
const grey = () =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();

const folders: TempFolder[] = [];
beforeEach(() => clearSimilarCache());
afterEach(() => folders.splice(0).forEach((f) => f.cleanup()));

async function folder(files: Record<string, Buffer | Promise<Buffer>>): Promise<TempFolder> {
  const t = tempFolder();
  folders.push(t);
  for (const [name, bytes] of Object.entries(files)) t.write(name, await bytes);
  return t;
}

async function scanned(root: string): Promise<{ images: ImageRecord[]; classNames: string[] }> {
  let kept: { images: ImageRecord[]; classNames: string[] } | null = null;
  await scanDataset(root, { valRatio: 0.2, onImages: (images, classNames) => (kept = { images, classNames }) });
  return kept!;
}

const never = new AbortController().signal;

describe('perceptual hash', () => {
  it('a resized, re-encoded copy hashes within a few bits; different pictures are far apart', async () => {
    const t = await folder({ 'a.png': png(0), 'a-small.jpg': resizedJpeg(0), 'b.png': png(1), 'c.png': png(2) });
    const hash = async (name: string, format: string) => (await perceptualHash(`${t.root}/${name}`, format)) as Hash64;
    const [a, copy, b, c] = await Promise.all([
      hash('a.png', 'png'),
      hash('a-small.jpg', 'jpeg'),
      hash('b.png', 'png'),
      hash('c.png', 'png'),
    ]);
    expect(hammingDistance(a, copy)).toBeLessThanOrEqual(NEAR_DUPLICATE_BITS);
    for (const [x, y] of [
      [a, b],
      [a, c],
      [b, c],
    ] as const) {
      expect(hammingDistance(x, y)).toBeGreaterThan(3 * NEAR_DUPLICATE_BITS);
    }
  });

  it('a picture of one colour has no hash (it would match every other plain picture)', () => {
    expect(hashThumbnail(new Uint8Array(32 * 32).fill(128))).toBe('plain');
  });
});

describe('findSimilarAcrossClasses', () => {
  it('finds the resized JPEG copy in another class, and nothing else', async () => {
    const t = await folder({
      'cats/photo.png': png(0),
      'cats/other.png': png(1), // a different picture in the same class
      // The same copy in both classes: byte-identical files are the scan's own duplicate warning, not repeated here;
      // with cats/photo.png it is a copy in the same class, which is not a labelling problem.
      'cats/photo-again.jpg': resizedJpeg(0),
      'dogs/photo-small.jpg': resizedJpeg(0), // the copy with the wrong label
      'dogs/checks.png': png(2),
      'dogs/plain.png': grey(),
    });
    const { images, classNames } = await scanned(t.root);
    const found = await findSimilarAcrossClasses(images, classNames, { signal: never });
    expect(found.pairs.map((p) => [p.a, p.classA, p.b, p.classB])).toEqual([
      ['cats/photo.png', 'cats', 'dogs/photo-small.jpg', 'dogs'],
    ]);
    expect(found.pairs[0]!.distance).toBeLessThanOrEqual(NEAR_DUPLICATE_BITS);
    expect(found.pairsTotal).toBe(1);
    expect(found.compared).toBe(5);
    expect(found.notCompared).toEqual({ unsupported: 0, undecodable: 0, plain: 1 });
  });

  it('two different pictures of different classes are not a pair', async () => {
    const t = await folder({ 'a/1.png': png(0), 'b/1.png': png(1), 'c/1.png': png(2) });
    const { images, classNames } = await scanned(t.root);
    const found = await findSimilarAcrossClasses(images, classNames, { signal: never });
    expect(found).toMatchObject({ pairs: [], pairsTotal: 0, compared: 3 });
  });

  it('stops with a typed "cancelled" error when its signal fires', async () => {
    const t = await folder({ 'a/1.png': png(0), 'b/1.png': png(1) });
    const { images, classNames } = await scanned(t.root);
    const controller = new AbortController();
    controller.abort();
    const error = await findSimilarAcrossClasses(images, classNames, { signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('cancelled');
  });
});

describe('dataset.similar', () => {
  function setup() {
    const bus = new EventBus();
    const ctx = { bus, onClose: () => {}, previewFolders: new Set<string>() } as unknown as CoreContext;
    const handlers = createDatasetHandlers(ctx) as Handlers;
    const progress: Array<EventPayload<'dataset.similarProgress'>> = [];
    bus.on('dataset.similarProgress', (p) => progress.push(p));
    return { handlers, progress };
  }

  it('checks a folder scanned in this session, with progress; an unscanned folder is refused', async () => {
    const t = await folder({ 'cats/photo.png': png(0), 'dogs/photo-small.jpg': resizedJpeg(0) });
    const { handlers, progress } = setup();
    const refused = await handlers['dataset.similar']({ path: t.root }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'validation', detail: 'not_scanned' });

    await handlers['dataset.scan']({ path: t.root, valRatio: 0.2 });
    const result = SimilarImages.parse(await handlers['dataset.similar']({ path: t.root }));
    expect(result.root).toBe(t.root);
    expect(result.pairs.map((p) => [p.a, p.b])).toEqual([['cats/photo.png', 'dogs/photo-small.jpg']]);
    expect(progress.at(-1)).toEqual({ root: t.root, done: 2, total: 2 });
  });
});
