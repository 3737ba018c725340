/** One entry of a tiny tar archive: a folder (name ends with "/") or a small text file. */
export interface TarEntry {
  name: string;
  content?: string;
}

function header(name: string, size: number, type: '0' | '5'): Buffer {
  const block = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => block.write(value.slice(0, length), offset, 'ascii');
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0') + '\0';
  field(0, 100, name);
  field(100, 8, octal(type === '5' ? 0o755 : 0o644, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(size, 12));
  field(136, 12, octal(0, 12));
  field(148, 8, '        '); // checksum counts as spaces while it is computed
  field(156, 1, type);
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of block) sum += byte;
  field(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return block;
}

/**
 * A minimal ustar archive in memory, for `docker import` of the doctor's probe image: the engine
 * needs a root file system, and pulling one from a registry is what the probe must not depend on.
 */
export function tinyTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.name.endsWith('/')) {
      parts.push(header(entry.name, 0, '5'));
      continue;
    }
    const data = Buffer.from(entry.content ?? '', 'utf8');
    parts.push(header(entry.name, data.length, '0'), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
