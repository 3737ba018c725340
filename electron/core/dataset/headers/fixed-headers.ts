import { BadImage, readExactly, type ParsedHeader } from './bad-image';
import type { ByteSource } from './byte-source';

const TAIL_BYTES = 1024;
const MAX_PNG_CHUNKS = 1_000_000;

/** Size of a PNG from its IHDR chunk, and whether the file ends inside a chunk (cut off). */
export async function readPngHeader(src: ByteSource): Promise<ParsedHeader> {
  const ihdr = await readExactly(src, 8, 16);
  if (ihdr.toString('latin1', 4, 8) !== 'IHDR') throw new BadImage('corrupt', 'the PNG does not start with its header');
  return { width: ihdr.readUInt32BE(8), height: ihdr.readUInt32BE(12), complete: await pngHasEnd(src) };
}

/**
 * Whether a PNG is whole. An IEND chunk in the last kilobyte says so; otherwise the chunks are walked
 * by their lengths (a few small reads) and the file is cut off when it ends inside one. A file that
 * only lacks IEND counts as whole: Pillow decodes it.
 */
async function pngHasEnd(src: ByteSource): Promise<boolean> {
  const tailStart = Math.max(8, src.size - TAIL_BYTES);
  if ((await src.read(tailStart, src.size - tailStart)).includes('IEND', 0, 'latin1')) return true;
  let position = 8;
  for (let count = 0; count < MAX_PNG_CHUNKS && position < src.size; count++) {
    const chunk = await src.read(position, 8);
    if (chunk.length < 8) return false;
    if (chunk.toString('latin1', 4, 8) === 'IEND') return true;
    position += 12 + chunk.readUInt32BE(0);
  }
  return position === src.size;
}

/** Size of a GIF from its logical screen descriptor (what Pillow reports). Truncation is not checked. */
export async function readGifHeader(src: ByteSource): Promise<ParsedHeader> {
  const screen = await readExactly(src, 6, 4);
  return { width: screen.readUInt16LE(0), height: screen.readUInt16LE(2), complete: true };
}

// BMP compressions whose pixel data size follows from the header: none, bit fields, alpha bit fields.
const UNCOMPRESSED_BMP = new Set([0, 3, 6]);

/** Size of a BMP from its DIB header, and whether uncompressed pixel data fits in the file. */
export async function readBmpHeader(src: ByteSource): Promise<ParsedHeader> {
  const fileHeader = await readExactly(src, 10, 8);
  const pixelOffset = fileHeader.readUInt32LE(0);
  const dibSize = fileHeader.readUInt32LE(4);
  let width: number;
  let height: number;
  let bitsPerPixel: number;
  let compression = 0;
  if (dibSize === 12) {
    const core = await readExactly(src, 18, 8); // OS/2 BITMAPCOREHEADER
    width = core.readUInt16LE(0);
    height = core.readUInt16LE(2);
    bitsPerPixel = core.readUInt16LE(6);
  } else if (dibSize >= 16 && dibSize <= 4096) {
    const info = await readExactly(src, 18, 16);
    width = info.readInt32LE(0);
    height = Math.abs(info.readInt32LE(4)); // negative: rows stored top-down
    bitsPerPixel = info.readUInt16LE(10);
    if (dibSize >= 20) compression = info.readUInt32LE(12);
  } else {
    throw new BadImage('corrupt', 'the BMP header is not one Pillow knows');
  }
  if (width <= 0) throw new BadImage('corrupt', 'the BMP header states no width');
  let complete = pixelOffset < src.size;
  if (complete && UNCOMPRESSED_BMP.has(compression) && bitsPerPixel > 0) {
    const rowBytes = Math.floor((width * bitsPerPixel + 31) / 32) * 4;
    complete = pixelOffset + rowBytes * height <= src.size;
  }
  return { width, height, complete };
}
