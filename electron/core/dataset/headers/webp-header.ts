import { BadImage, readExactly, type ParsedHeader } from './bad-image';
import type { ByteSource } from './byte-source';

/**
 * Size of a WebP from its first chunk (VP8 lossy, VP8L lossless or VP8X extended canvas), and whether
 * the file is as long as its RIFF header says.
 */
export async function readWebpHeader(src: ByteSource): Promise<ParsedHeader> {
  const riff = await readExactly(src, 4, 4);
  const complete = src.size >= riff.readUInt32LE(0) + 8;
  const chunk = await readExactly(src, 12, 8);
  const kind = chunk.toString('latin1', 0, 4);
  if (kind === 'VP8 ') {
    const frame = await readExactly(src, 20, 10);
    if (frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) {
      throw new BadImage('corrupt', 'the WebP image data is damaged');
    }
    return { width: frame.readUInt16LE(6) & 0x3fff, height: frame.readUInt16LE(8) & 0x3fff, complete };
  }
  if (kind === 'VP8L') {
    const frame = await readExactly(src, 20, 5);
    if (frame[0] !== 0x2f) throw new BadImage('corrupt', 'the WebP image data is damaged');
    const bits = frame.readUInt32LE(1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, complete };
  }
  if (kind === 'VP8X') {
    const canvas = await readExactly(src, 24, 6);
    return { width: canvas.readUIntLE(0, 3) + 1, height: canvas.readUIntLE(3, 3) + 1, complete };
  }
  throw new BadImage('corrupt', 'the WebP file holds no image data Pillow knows');
}
