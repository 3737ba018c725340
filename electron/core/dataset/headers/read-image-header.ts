import type { SkipCode } from '../../../contract';
import { BadImage, type ParsedHeader } from './bad-image';
import type { ByteSource } from './byte-source';
import { readBmpHeader, readGifHeader, readPngHeader } from './fixed-headers';
import { FORMAT_LABELS, sniffFormat, type ImageFormat } from './image-formats';
import { readJpegHeader } from './jpeg-header';
import { readTiffHeader } from './tiff-ifd';
import { readWebpHeader } from './webp-header';

/** The trainer's `MAX_PIXELS` (docker/deit_trainer/decode.py): larger images are skipped as decompression bombs. */
export const MAX_PIXELS = 100_000_000;

/** What the header of a usable image says. */
export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** The outcome of reading one file's header: a usable image, or why it is skipped. */
export type HeaderResult = { ok: true; image: ImageHeader } | { ok: false; code: SkipCode; reason: string };

const PARSERS: Record<ImageFormat, (src: ByteSource) => Promise<ParsedHeader>> = {
  jpeg: readJpegHeader,
  png: readPngHeader,
  gif: readGifHeader,
  bmp: readBmpHeader,
  webp: readWebpHeader,
  tiff: readTiffHeader,
};

/**
 * Reads an image file's header (never its pixels) and decides whether the trainer can use it. As with
 * Pillow, the content decides the format, whatever the extension says; the header must state a size of
 * at most 100,000,000 pixels, and the file must not end early where that is cheap to see.
 */
export async function readImageHeader(src: ByteSource): Promise<HeaderResult> {
  if (src.size === 0) return { ok: false, code: 'empty', reason: 'empty file (0 bytes)' };
  const found = sniffFormat(src.head);
  if (found === null) {
    return { ok: false, code: 'corrupt', reason: 'not a readable image (unknown or corrupt format)' };
  }
  const label = FORMAT_LABELS[found];
  let parsed: ParsedHeader;
  try {
    parsed = await PARSERS[found](src);
  } catch (error) {
    if (error instanceof BadImage) return { ok: false, code: error.code, reason: error.message };
    throw error;
  }
  const { width, height } = parsed;
  if (width <= 0 || height <= 0) {
    return { ok: false, code: 'corrupt', reason: `the ${label} header states a size of ${width}×${height} pixels` };
  }
  if (width * height > MAX_PIXELS) {
    return {
      ok: false,
      code: 'too_large',
      reason: `image too large (${width}×${height} pixels; the limit is 100,000,000)`,
    };
  }
  if (!parsed.complete) {
    return { ok: false, code: 'truncated', reason: `the ${label} file is cut off (its end is missing)` };
  }
  return { ok: true, image: { format: found, width, height } };
}
