import tar from 'tar-stream';

/** One entry of a small tar archive: a folder (name ends with "/") or a small text file. */
export interface TarEntry {
  name: string;
  content?: string;
}

/**
 * A small ustar archive in memory, written by tar-stream (the tar library dockerode itself uses): for
 * `docker import` of the doctor's probe image, whose engine needs a root file system that must not
 * come from a registry.
 *
 *   const archive = await tarArchive([{ name: 'etc/' }, { name: 'etc/marker', content: 'hello\n' }]);
 */
export async function tarArchive(entries: readonly TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const entry of entries) {
    if (entry.name.endsWith('/')) {
      pack.entry({ name: entry.name, type: 'directory', mode: 0o755, mtime: new Date(0) });
    } else {
      pack.entry({ name: entry.name, mode: 0o644, mtime: new Date(0) }, entry.content ?? '');
    }
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}
