import type { SkipCode } from '../../contract';
import { BadImage, type ParsedHeader } from './bad-image';
import type { ByteSource } from './byte-source';
import { readBmpHeader, readGifHeader, readPngHeader } from './fixed-headers';
import { FORMAT_LABELS, sniffFormat, type ImageFormat } from './image-formats';
import { readJpegHeader } from './jpeg-header';
import { readTiffHeader } from './tiff-ifd';
import { readWebpHeader } from './webp-header';

/** Pillow's `Image.MAX_IMAGE_PIXELS`: above this it treats an image as a decompression bomb. */
export const MAX_IMAGE_PIXELS = 89_478_485;

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
 * Reads an image file's header (never its pixels) and decides whether the trainer can use it: the
 * magic bytes must match the format its extension names, the header must state a size, the size must
 * be under Pillow's decompression-bomb limit, and the file must not end early where that is cheap to see.
 */
export async function readImageHeader(src: ByteSource, expected: ImageFormat): Promise<HeaderResult> {
  if (src.size === 0) return { ok: false, code: 'empty', reason: 'empty file (0 bytes)' };
  const found = sniffFormat(src.head);
  const label = FORMAT_LABELS[expected];
  if (found === null) {
    return { ok: false, code: 'corrupt', reason: `not a valid ${label} image (its content is not an image)` };
  }
  if (found !== expected) {
    return {
      ok: false,
      code: 'wrong_extension',
      reason: `the content is ${FORMAT_LABELS[found]} but the name says ${label}`,
    };
  }
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
  if (width * height > MAX_IMAGE_PIXELS) {
    return {
      ok: false,
      code: 'too_large',
      reason: `too large: ${width}×${height} pixels is over the 89,478,485-pixel safety limit`,
    };
  }
  if (!parsed.complete) {
    return { ok: false, code: 'truncated', reason: `the ${label} file is cut off (its end is missing)` };
  }
  return { ok: true, image: { format: found, width, height } };
}
