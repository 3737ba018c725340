import { BadImage, readExactly, type ParsedHeader } from './bad-image';
import type { ByteSource } from './byte-source';

/** The layout of a TIFF structure (a TIFF file, or the Exif block inside a JPEG). */
export interface TiffLayout {
  littleEndian: boolean;
  bigTiff: boolean;
  /** Where offsets count from (0 in a TIFF file; the Exif header's position inside a JPEG segment). */
  base: number;
  /** Offset of the first IFD, relative to `base`. */
  firstIfd: number;
}

/** One image file directory: its scalar tag values, and the offset of the next IFD (0: none). */
export interface Ifd {
  values: Map<number, number>;
  next: number;
}

const MAX_ENTRIES = 4096;

/** Reads the TIFF header at `base`: byte order, classic or BigTIFF, first IFD offset. */
export async function readTiffLayout(src: ByteSource, base: number): Promise<TiffLayout> {
  const header = await src.read(base, 16);
  if (header.length < 8) throw new BadImage('truncated', 'the file ends in the middle of its header');
  const order = header.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') throw new BadImage('corrupt', 'the TIFF byte order is not stated');
  const littleEndian = order === 'II';
  const version = littleEndian ? header.readUInt16LE(2) : header.readUInt16BE(2);
  if (version === 42) {
    return {
      littleEndian,
      bigTiff: false,
      base,
      firstIfd: littleEndian ? header.readUInt32LE(4) : header.readUInt32BE(4),
    };
  }
  if (version === 43 && header.length >= 16) {
    const offset = littleEndian ? header.readBigUInt64LE(8) : header.readBigUInt64BE(8);
    return { littleEndian, bigTiff: true, base, firstIfd: Number(offset) };
  }
  throw new BadImage('corrupt', 'the TIFF header is damaged');
}

/** Reads one IFD's single-valued SHORT/LONG/LONG8 tags (all that sizes and thumbnails need). */
export async function readIfd(src: ByteSource, layout: TiffLayout, offset: number): Promise<Ifd> {
  const { littleEndian: le, bigTiff, base } = layout;
  const at = base + offset;
  const countBytes = bigTiff ? 8 : 2;
  const entryBytes = bigTiff ? 20 : 12;
  const countField = await readExactly(src, at, countBytes);
  const count = bigTiff
    ? Number(le ? countField.readBigUInt64LE(0) : countField.readBigUInt64BE(0))
    : u16(countField, 0, le);
  if (count === 0 || count > MAX_ENTRIES) throw new BadImage('corrupt', 'the TIFF directory is damaged');
  const table = await readExactly(src, at + countBytes, count * entryBytes + (bigTiff ? 8 : 4));
  const values = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const e = i * entryBytes;
    const tag = u16(table, e, le);
    const type = u16(table, e + 2, le);
    const n = bigTiff
      ? Number(le ? table.readBigUInt64LE(e + 4) : table.readBigUInt64BE(e + 4))
      : u32(table, e + 4, le);
    const v = e + (bigTiff ? 12 : 8);
    if (n !== 1) continue;
    if (type === 3) values.set(tag, u16(table, v, le));
    else if (type === 4) values.set(tag, u32(table, v, le));
    else if (type === 16 && bigTiff) values.set(tag, Number(le ? table.readBigUInt64LE(v) : table.readBigUInt64BE(v)));
  }
  const n = count * entryBytes;
  const next = bigTiff ? Number(le ? table.readBigUInt64LE(n) : table.readBigUInt64BE(n)) : u32(table, n, le);
  return { values, next };
}

const IMAGE_WIDTH = 256;
const IMAGE_LENGTH = 257;

/** Size of a TIFF from its first image directory (the first page, which Pillow opens). Truncation is not checked. */
export async function readTiffHeader(src: ByteSource): Promise<ParsedHeader> {
  const layout = await readTiffLayout(src, 0);
  const ifd = await readIfd(src, layout, layout.firstIfd);
  const width = ifd.values.get(IMAGE_WIDTH);
  const height = ifd.values.get(IMAGE_LENGTH);
  if (width === undefined || height === undefined) throw new BadImage('corrupt', 'the TIFF does not state its size');
  return { width, height, complete: true };
}

function u16(bytes: Buffer, at: number, le: boolean): number {
  return le ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at);
}

function u32(bytes: Buffer, at: number, le: boolean): number {
  return le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
}
