import { BadImage, readExactly } from './bad-image';
import { bufferByteSource, type ByteSource } from './byte-source';
import { isStartOfFrame, jpegSegments } from './jpeg-header';
import { readIfd, readTiffLayout } from './tiff-ifd';

const APP1 = 0xe1;
const JPEG_INTERCHANGE_FORMAT = 0x0201;
const JPEG_INTERCHANGE_FORMAT_LENGTH = 0x0202;

/**
 * The small JPEG preview that cameras and phones embed in a photo's Exif block (IFD1), or null when
 * there is none. Reads only the Exif segment, never the image data.
 */
export async function findExifThumbnail(src: ByteSource): Promise<Buffer | null> {
  try {
    for await (const segment of jpegSegments(src)) {
      if (isStartOfFrame(segment.marker)) return null; // Exif comes before the frame
      if (segment.marker !== APP1 || segment.payloadLength < 14) continue;
      const payload = await readExactly(src, segment.position + 4, segment.payloadLength);
      if (payload.toString('latin1', 0, 6) !== 'Exif\0\0') continue;
      return await thumbnailInExif(bufferByteSource(payload));
    }
  } catch (error) {
    if (!(error instanceof BadImage)) throw error;
  }
  return null;
}

async function thumbnailInExif(exif: ByteSource): Promise<Buffer | null> {
  const layout = await readTiffLayout(exif, 6);
  const ifd0 = await readIfd(exif, layout, layout.firstIfd);
  if (ifd0.next === 0) return null;
  const ifd1 = await readIfd(exif, layout, ifd0.next);
  const offset = ifd1.values.get(JPEG_INTERCHANGE_FORMAT);
  const length = ifd1.values.get(JPEG_INTERCHANGE_FORMAT_LENGTH);
  if (offset === undefined || length === undefined || length < 4) return null;
  const thumbnail = await exif.read(layout.base + offset, length);
  if (thumbnail.length !== length || thumbnail[0] !== 0xff || thumbnail[1] !== 0xd8) return null;
  return Buffer.from(thumbnail);
}
