import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bufferByteSource } from '../../../../../electron/core/dataset/headers/byte-source';
import { sniffFormat } from '../../../../../electron/core/dataset/headers/image-formats';
import { HEAD_BYTES } from '../../../../../electron/core/dataset/scan/inspect-image-file';
import { MAX_PIXELS, readImageHeader } from '../../../../../electron/core/dataset/headers/read-image-header';
import { bombPng, fixture, FIXTURES, makePng, withJpegComment, withPngText } from '../dataset-files';

const read = (bytes: Buffer) => readImageHeader(bufferByteSource(bytes, HEAD_BYTES));

describe('readImageHeader on real files written by Pillow', () => {
  const names = fs.readdirSync(FIXTURES).filter((name) => !name.endsWith('.py'));

  it('has a fixture for every format', () => {
    const formats = new Set(names.map((name) => sniffFormat(fixture(name))));
    expect([...formats].sort()).toEqual(['bmp', 'gif', 'jpeg', 'png', 'tiff', 'webp']);
  });

  it.each(names)('%s: format and size from the header', async (name) => {
    const bytes = fixture(name);
    const [, w, h] = /(\d+)x(\d+)\.\w+$/.exec(name)!;
    const format = sniffFormat(bytes)!;
    expect(await read(bytes)).toEqual({
      ok: true,
      image: { format, width: Number(w), height: Number(h) },
    });
  });
});

describe('readImageHeader skips what the trainer cannot use', () => {
  it('empty files', async () => {
    expect(await read(Buffer.alloc(0))).toMatchObject({ ok: false, code: 'empty' });
  });

  it('content that is no image at all', async () => {
    const result = await read(Buffer.from('this is a text file, named .jpg'));
    expect(result).toMatchObject({ ok: false, code: 'corrupt' });
  });

  it('lets the content decide the format, as Pillow does (the scan checks only the extension)', async () => {
    expect(await read(makePng(8, 8))).toMatchObject({ ok: true, image: { format: 'png' } });
  });

  it('a JPEG cut off inside its header, and one cut off inside its image data', async () => {
    const jpeg = fixture('baseline-80x60.jpg');
    expect(await read(jpeg.subarray(0, 40))).toMatchObject({ ok: false, code: 'truncated' });
    expect(await read(jpeg.subarray(0, jpeg.length - 200))).toMatchObject({ ok: false, code: 'truncated' });
  });

  it('a cut-off camera JPEG, even though its Exif preview (before the image data) ends in an end marker', async () => {
    const jpeg = fixture('exif-thumb-160x120.jpg');
    expect((await read(jpeg)).ok).toBe(true);
    expect(await read(jpeg.subarray(0, jpeg.length - 300))).toMatchObject({ ok: false, code: 'truncated' });
    // Cut soon after the start of scan, so that the last kilobyte still holds the preview's end marker.
    const scanStart = jpeg.indexOf(Buffer.from([0xff, 0xda]), jpeg.indexOf(Buffer.from([0xff, 0xd9]))); // after the preview
    const cut = jpeg.subarray(0, scanStart + 100);
    expect(cut.subarray(-1024).includes(Buffer.from([0xff, 0xd9]))).toBe(true);
    expect(await read(cut)).toMatchObject({ ok: false, code: 'truncated' });
  });

  it('accepts a JPEG with data appended after its end (phone motion photos), found by the full search', async () => {
    const appended = Buffer.concat([fixture('baseline-80x60.jpg'), Buffer.alloc(5000, 0x42)]);
    expect(await read(appended)).toMatchObject({ ok: true, image: { width: 80, height: 60 } });
  });

  it('finds the frame header of a JPEG far beyond the first bytes', async () => {
    const jpeg = withJpegComment(fixture('gray-70x50.jpg'), 'x'.repeat(30_000));
    expect(await read(jpeg)).toMatchObject({ ok: true, image: { width: 70, height: 50 } });
  });

  it('a JPEG without a frame header', async () => {
    const noFrame = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0x00, 0xff, 0xd9]);
    expect(await read(noFrame)).toMatchObject({ ok: false, code: 'corrupt' });
  });

  it('a PNG cut inside its data; one that only lacks IEND is whole, as Pillow decodes it', async () => {
    const png = makePng(70, 70, 1);
    expect(await read(png.subarray(0, png.length - 20))).toMatchObject({ ok: false, code: 'truncated' });
    expect(await read(png.subarray(0, 60))).toMatchObject({ ok: false, code: 'truncated' });
    expect(await read(png.subarray(0, png.length - 12))).toMatchObject({ ok: true });
  });

  it('accepts a PNG with bytes after IEND, and a big one whose IEND is found by walking the chunks', async () => {
    const png = makePng(10, 10);
    expect((await read(Buffer.concat([png, Buffer.alloc(3000, 1)]))).ok).toBe(true);
    expect((await read(withPngText(png, 'y'.repeat(20_000)))).ok).toBe(true);
  });

  it("decompression bombs: more pixels than the trainer's limit, counted exactly", async () => {
    expect(MAX_PIXELS).toBe(100_000_000);
    expect(await read(bombPng(10_000, 10_000))).toMatchObject({ ok: true }); // exactly the limit
    expect(await read(bombPng(100_000_001, 1))).toMatchObject({ ok: false, code: 'too_large' }); // one pixel over
    expect(await read(bombPng(50_000, 50_000))).toMatchObject({ ok: false, code: 'too_large' });
  });

  it('a header that states a zero size', async () => {
    expect(await read(bombPng(0, 10))).toMatchObject({ ok: false, code: 'corrupt' });
  });

  it('a WebP shorter than its RIFF header says, and one with damaged image data', async () => {
    const webp = fixture('lossy-100x80.webp');
    expect(await read(webp.subarray(0, webp.length - 10))).toMatchObject({ ok: false, code: 'truncated' });
    const damaged = Buffer.from(webp);
    damaged[23] = 0; // the VP8 start code
    expect(await read(damaged)).toMatchObject({ ok: false, code: 'corrupt' });
  });

  it('a BMP whose pixel rows do not fit in the file', async () => {
    const bmp = fixture('rgb-50x40.bmp');
    expect(await read(bmp.subarray(0, bmp.length - 100))).toMatchObject({ ok: false, code: 'truncated' });
  });

  it('a TIFF whose first directory lies beyond its end', async () => {
    const tiff = Buffer.from(fixture('le-30x20.tif'));
    tiff.writeUInt32LE(1_000_000, 4);
    expect(await read(tiff)).toMatchObject({ ok: false });
  });

  it('reads a BigTIFF header', async () => {
    const big = Buffer.alloc(16 + 8 + 2 * 20 + 8);
    big.write('II', 0, 'latin1');
    big.writeUInt16LE(43, 2);
    big.writeUInt16LE(8, 4);
    big.writeBigUInt64LE(16n, 8);
    big.writeBigUInt64LE(2n, 16);
    const entry = (at: number, tag: number, type: number, value: number) => {
      big.writeUInt16LE(tag, at);
      big.writeUInt16LE(type, at + 2);
      big.writeBigUInt64LE(1n, at + 4);
      if (type === 3) big.writeUInt16LE(value, at + 12);
      else big.writeUInt32LE(value, at + 12);
    };
    entry(24, 256, 3, 640);
    entry(44, 257, 4, 480);
    expect(await read(big)).toEqual({ ok: true, image: { format: 'tiff', width: 640, height: 480 } });
  });
});
