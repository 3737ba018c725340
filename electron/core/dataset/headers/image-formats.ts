/** The image formats a dataset may contain; the trainer (Pillow) reads all of them. */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'bmp' | 'webp' | 'tiff';

/** Lower-case file extensions (with the dot) that make a file an image candidate: the trainer's `IMAGE_EXTENSIONS`. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.jfif',
  '.png',
  '.bmp',
  '.gif',
  '.webp',
  '.tif',
  '.tiff',
]);

/** Name of each format as users know it, for messages. */
export const FORMAT_LABELS: Record<ImageFormat, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  gif: 'GIF',
  bmp: 'BMP',
  webp: 'WebP',
  tiff: 'TIFF',
};

/** The lower-case extension of a file name ("" when it has none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** Whether a file name has an image extension (any case). The content decides the format, as Pillow's does. */
export function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extensionOf(name));
}

/** The smallest number of leading bytes `sniffFormat` needs. */
export const SNIFF_BYTES = 12;

/** The format a file's first bytes (magic numbers) say it is, or null when they match no image format. */
export function sniffFormat(head: Uint8Array): ImageFormat | null {
  const b = (i: number): number => head[i] ?? -1;
  const ascii = (from: number, text: string): boolean => [...text].every((c, i) => b(from + i) === c.charCodeAt(0));
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (b(0) === 0x89 && ascii(1, 'PNG\r\n\x1a\n')) return 'png';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif';
  if (ascii(0, 'BM')) return 'bmp';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
  if (ascii(0, 'II') && b(2) === 0x2a && b(3) === 0) return 'tiff';
  if (ascii(0, 'MM') && b(2) === 0 && b(3) === 0x2a) return 'tiff';
  if (ascii(0, 'II') && b(2) === 0x2b && b(3) === 0) return 'tiff'; // BigTIFF
  if (ascii(0, 'MM') && b(2) === 0 && b(3) === 0x2b) return 'tiff'; // BigTIFF
  return null;
}

/** MIME type of each format, for previews. */
export const FORMAT_MIME: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  tiff: 'image/tiff',
};
