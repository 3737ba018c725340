import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { readThumbnail, THUMBNAIL_LIMITS } from '../../../../../electron/core/dataset/thumbnails/dataset-thumbnail';
import { thumbnailCachePath } from '../../../../../electron/core/dataset/thumbnails/thumbnail-cache';
import { fixture, makePng, tempFolder, type TempFolder } from '../dataset-files';

const folders: TempFolder[] = [];
afterEach(() => folders.splice(0).forEach((f) => f.cleanup()));

/** A dataset folder and a cache folder, and readThumbnail with the cache. */
function setup() {
  const data = tempFolder();
  const cache = tempFolder('deit-thumbs-');
  folders.push(data, cache);
  const root = fs.realpathSync(data.root);
  const limits = { ...THUMBNAIL_LIMITS, cacheDir: cache.root };
  const thumb = async (file: string) => {
    const result = await readThumbnail(root, file, limits);
    return { mime: result.mime, bytes: Buffer.from(result.dataBase64, 'base64') };
  };
  return { data, cache, root, thumb };
}

/** A photo-like JPEG: noise over a gradient, so it compresses like a real photo. */
async function photo(width: number, height: number, extra: { orientation?: number } = {}): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) {
    const x = Math.floor(i / 3) % width;
    pixels[i] = ((x * 255) / width + Math.random() * 60) & 0xff;
  }
  let image = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (extra.orientation) image = image.withMetadata({ orientation: extra.orientation });
  return image.jpeg({ quality: 90 }).toBuffer();
}

describe('dataset thumbnails made by sharp', () => {
  it('a large photo comes back as a JPEG of at most 256 px, far smaller than the file', async () => {
    const { data, thumb } = setup();
    const original = await photo(1200, 900);
    data.write('cat/photo.jpg', original);
    const { mime, bytes } = await thumb('cat/photo.jpg');
    expect(mime).toBe('image/jpeg');
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height]).toEqual([256, 192]);
    expect(bytes.length * 10).toBeLessThan(original.length);
  });

  it('turns the thumbnail upright by the Exif orientation', async () => {
    const { data, thumb } = setup();
    data.write('cat/portrait.jpg', await photo(400, 300, { orientation: 6 })); // stored landscape, shown portrait
    const meta = await sharp((await thumb('cat/portrait.jpg')).bytes).metadata();
    expect([meta.width, meta.height]).toEqual([192, 256]);
  });

  it('keeps it in the cache by path, modification time and size, and makes a new one when the file changes', async () => {
    const { data, cache, root, thumb } = setup();
    const file = data.write('cat/photo.jpg', await photo(600, 400));
    const first = await thumb('cat/photo.jpg');
    const stat = fs.statSync(file);
    const cached = thumbnailCachePath(cache.root, path.join(root, 'cat', 'photo.jpg'), stat);
    expect(fs.readFileSync(cached).equals(first.bytes)).toBe(true);
    // What is read next time is the cached file, not a new decode.
    fs.writeFileSync(cached, Buffer.from('cached marker'));
    expect((await thumb('cat/photo.jpg')).bytes.toString()).toBe('cached marker');
    // The file changes (new content and time): a new thumbnail, the old entry left alone.
    fs.writeFileSync(file, await photo(500, 500));
    fs.utimesSync(file, new Date(), new Date(stat.mtimeMs + 5000));
    const fresh = await sharp((await thumb('cat/photo.jpg')).bytes).metadata();
    expect([fresh.width, fresh.height]).toEqual([256, 256]);
  });

  it('a TIFF, which browsers cannot show, gets a JPEG preview', async () => {
    const { data, thumb } = setup();
    data.write('cat/c.tif', fixture('le-30x20.tif'));
    const { mime, bytes } = await thumb('cat/c.tif');
    expect(mime).toBe('image/jpeg');
    expect((await sharp(bytes).metadata()).width).toBe(30);
  });

  it('a small image in a browser format is sent as it is, without decoding', async () => {
    const { data, thumb } = setup();
    const png = makePng(64, 64, 1);
    data.write('cat/b.png', png);
    const { mime, bytes } = await thumb('cat/b.png');
    expect(mime).toBe('image/png');
    expect(bytes.equals(png)).toBe(true);
  });

  it('a BMP (not among sharp’s formats) falls back to the file itself', async () => {
    const { data, thumb } = setup();
    data.write('cat/d.bmp', fixture('rgb-50x40.bmp'));
    const { mime, bytes } = await thumb('cat/d.bmp');
    expect(mime).toBe('image/bmp');
    expect(bytes.equals(fixture('rgb-50x40.bmp'))).toBe(true);
  });

  it('without a cache folder, a TIFF has no preview (the old rule)', async () => {
    const { data, root } = setup();
    data.write('cat/c.tif', fixture('le-30x20.tif'));
    const error = await readThumbnail(root, 'cat/c.tif').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'not_available' });
  });
});
