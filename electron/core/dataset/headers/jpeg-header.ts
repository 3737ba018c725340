import { BadImage, readExactly, type ParsedHeader } from './bad-image';
import type { ByteSource } from './byte-source';

/** One marker segment of a JPEG file, before the image data. */
export interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF that starts the marker. */
  position: number;
  /** Length of the payload after the two length bytes (0 for markers without one). */
  payloadLength: number;
}

// Markers without a length field: TEM, RST0..7, SOI.
const STANDALONE = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8]);
const START_OF_SCAN = 0xda;
const END_OF_IMAGE = 0xd9;
const MAX_SEGMENTS = 10_000;
const TAIL_BYTES = 1024;
const CHUNK_BYTES = 64 * 1024;

/** True for the start-of-frame markers (SOF0..SOF15) that carry the image size; C4, C8 and CC are not frames. */
export function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * The marker segments of a JPEG file from SOI up to and including the first start-of-scan, read by
 * skipping each segment by its length (so a big Exif block costs one small read, not its size).
 */
export async function* jpegSegments(src: ByteSource): AsyncGenerator<JpegSegment> {
  let position = 2;
  for (let count = 0; count < MAX_SEGMENTS; count++) {
    const bytes = await readExactly(src, position, 2);
    if (bytes[0] !== 0xff) throw new BadImage('corrupt', 'the JPEG structure is damaged (a marker is missing)');
    const marker = bytes[1] ?? 0;
    if (marker === 0xff) {
      position += 1; // fill byte before a marker
      continue;
    }
    if (STANDALONE.has(marker)) {
      yield { marker, position, payloadLength: 0 };
      position += 2;
      continue;
    }
    if (marker === END_OF_IMAGE) throw new BadImage('corrupt', 'the JPEG ends before any image data');
    const length = (await readExactly(src, position + 2, 2)).readUInt16BE(0);
    if (length < 2) throw new BadImage('corrupt', 'the JPEG structure is damaged (a segment length is wrong)');
    yield { marker, position, payloadLength: length - 2 };
    if (marker === START_OF_SCAN) return;
    position += 2 + length;
  }
  throw new BadImage('corrupt', 'the JPEG structure is damaged (too many segments)');
}

/** Size of a JPEG from its frame header (SOFn), and whether an end-of-image marker follows the image data. */
export async function readJpegHeader(src: ByteSource): Promise<ParsedHeader> {
  let size: { width: number; height: number } | null = null;
  for await (const segment of jpegSegments(src)) {
    if (isStartOfFrame(segment.marker)) {
      const frame = await readExactly(src, segment.position + 4, 5);
      size = { height: frame.readUInt16BE(1), width: frame.readUInt16BE(3) };
    } else if (segment.marker === START_OF_SCAN) {
      if (!size) break;
      return { ...size, complete: await hasEndOfImage(src, segment.position) };
    }
  }
  throw new BadImage('corrupt', 'the JPEG has no frame header (its size is not stated)');
}

/**
 * Whether an end-of-image marker (FF D9) follows the start of the image data. Inside compressed data
 * FF is always followed by 00 or a restart marker, so FF D9 only ends an image. The last kilobyte
 * usually answers; only files without it there (truncated ones, or ones with data appended, such as
 * phones' motion photos) are searched in full.
 */
export async function hasEndOfImage(src: ByteSource, scanStart: number): Promise<boolean> {
  const tailStart = Math.max(scanStart, src.size - TAIL_BYTES);
  if (containsEndMarker(await src.read(tailStart, src.size - tailStart))) return true;
  for (let position = scanStart; position < tailStart; position += CHUNK_BYTES) {
    // One byte of overlap so that a marker split across two chunks is still found.
    if (containsEndMarker(await src.read(position, CHUNK_BYTES + 1))) return true;
  }
  return false;
}

function containsEndMarker(bytes: Buffer): boolean {
  for (let i = bytes.indexOf(0xff); i !== -1 && i + 1 < bytes.length; i = bytes.indexOf(0xff, i + 1)) {
    if (bytes[i + 1] === END_OF_IMAGE) return true;
  }
  return false;
}
