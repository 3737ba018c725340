import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

// A tiny dataset of real PNGs for the UI tests, written with zlib alone (no image library needed).

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real RGB PNG of the given size, coloured by `pixel`. */
export function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * birds/{finch,robin,wren}: `perClass` real PNGs each (learnable: each class has its own colours),
 * plus what real folders also hold: one corrupt image, one text file, hidden files.
 */
export function makeBirdsDataset({ perClass }: { perClass: number }): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-wizard-e2e-'));
  const root = path.join(parent, 'birds');
  const classes: Array<[string, [number, number, number]]> = [
    ['finch', [220, 160, 40]],
    ['robin', [200, 60, 50]],
    ['wren', [110, 80, 50]],
  ];
  for (const [name, [r, g, b]] of classes) {
    fs.mkdirSync(path.join(root, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const image = png(96, 96, (x, y) => ((x + y + i * 7) % 24 < 12 ? [r, g, b] : [255 - r, 255 - g, 255 - b]));
      fs.writeFileSync(path.join(root, name, `${String(i).padStart(3, '0')}.png`), image);
    }
  }
  fs.writeFileSync(path.join(root, 'finch', 'broken.png'), Buffer.from('this is not a PNG at all'));
  fs.writeFileSync(path.join(root, 'robin', 'notes.txt'), 'field notes');
  fs.writeFileSync(path.join(root, '.DS_Store'), Buffer.alloc(16));
  fs.writeFileSync(
    path.join(root, 'wren', '.hidden.png'),
    png(8, 8, () => [0, 0, 0]),
  );
  return root;
}
