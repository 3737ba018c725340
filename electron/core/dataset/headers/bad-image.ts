/** Why a file that looks like an image by its name cannot be used, as found by reading its header. */
export type BadImageCode = 'corrupt' | 'truncated';

/** Thrown by the header parsers when a file's bytes are not a usable image; caught by `readImageHeader`. */
export class BadImage extends Error {
  readonly code: BadImageCode;

  constructor(code: BadImageCode, reason: string) {
    super(reason);
    this.name = 'BadImage';
    this.code = code;
  }
}

/** What a header parser found: the size in pixels, and whether the file is complete as far as cheaply known. */
export interface ParsedHeader {
  width: number;
  height: number;
  /** False when the file provably ends too early (checked only where that is cheap). */
  complete: boolean;
}

/** Reads exactly `length` bytes or throws a "truncated" BadImage. */
export async function readExactly(
  src: { read(position: number, length: number): Promise<Buffer> },
  position: number,
  length: number,
): Promise<Buffer> {
  const bytes = await src.read(position, length);
  if (bytes.length < length) throw new BadImage('truncated', 'the file ends in the middle of its header');
  return bytes;
}
