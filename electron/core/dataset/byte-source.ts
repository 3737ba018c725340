import type { FileHandle } from 'node:fs/promises';

/**
 * Random access to the bytes of one file, with its first bytes (the head) already read. Header
 * parsers read through this so that a header that lies beyond the head costs only small reads.
 */
export interface ByteSource {
  /** Size of the whole file in bytes. */
  readonly size: number;
  /** The first bytes of the file (all of it when the file is small). */
  readonly head: Buffer;
  /** Up to `length` bytes at `position` (fewer at the end of the file). */
  read(position: number, length: number): Promise<Buffer>;
}

/** A byte source over bytes held in memory (tests, embedded thumbnails). */
export function bufferByteSource(bytes: Buffer, headLength = bytes.length): ByteSource {
  return {
    size: bytes.length,
    head: bytes.subarray(0, headLength),
    read: async (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)),
  };
}

/** Reads the head of an open file and returns a byte source over it; reads past the head go to the file. */
export async function fileByteSource(handle: FileHandle, size: number, headLength: number): Promise<ByteSource> {
  const head = await readAt(handle, 0, Math.min(size, headLength));
  // The last read is kept: the tail is often asked for twice (end-marker check, then fingerprint).
  let last = { position: 0, bytes: head };
  return {
    size,
    head,
    async read(position, length) {
      const end = Math.min(size, position + length);
      if (position >= end) return Buffer.alloc(0);
      if (position >= last.position && end <= last.position + last.bytes.length) {
        return last.bytes.subarray(position - last.position, end - last.position);
      }
      last = { position, bytes: await readAt(handle, position, end - position) };
      return last.bytes;
    },
  };
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
