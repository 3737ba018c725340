import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { openZipFiles } from './run-downloads';

/** A zip of a run folder being written: its stream, and its exact size when known. */
export interface RunZip {
  stream: Readable;
  /** Bytes the stream will produce (every entry is stored, so this is known before it starts). */
  size: number;
  /** Closes every file still open (the client went away before the end). */
  close(): Promise<void>;
}

/**
 * The run folder as a zip, streamed: entries under `<run id>/`, stored without compression (model
 * weights do not compress, and a stored zip has a size known up front, so the browser shows real
 * progress). Leaves out `checkpoints/last.pt` and temp files (run-downloads.ts `inZip`).
 *
 *   const zip = await runZip(runsDir, id);
 *   res.setHeader('Content-Length', zip.size);
 *   zip.stream.pipe(res);
 */
export async function runZip(runsDir: string, id: string): Promise<RunZip> {
  const files = await openZipFiles(runsDir, id);
  const zip = new ZipFile();
  const closed = new Set<number>();
  const closeFile = async (index: number) => {
    if (closed.has(index)) return;
    closed.add(index);
    await files[index]?.handle.close().catch(() => undefined);
  };
  files.forEach((file, index) => {
    zip.addReadStreamLazy(
      `${id}/${file.path}`,
      { mtime: file.mtime, mode: file.mode, compress: false, size: file.size },
      (cb) => {
        // Exactly the size seen when opened: a log that grows meanwhile is cut where the listing saw it.
        if (file.size === 0) {
          void closeFile(index);
          return cb(null, Readable.from([]));
        }
        const stream = file.handle.createReadStream({ start: 0, end: file.size - 1, autoClose: false });
        stream.once('close', () => void closeFile(index));
        stream.once('end', () => void closeFile(index));
        cb(null, stream);
      },
    );
  });
  // @types/yazl declares the size callback without its argument.
  const end = zip.end.bind(zip) as (options: undefined, sized: (total: number) => void) => void;
  const size = await new Promise<number>((resolve) => end(undefined, resolve));
  return {
    stream: zip.outputStream as Readable,
    size,
    async close() {
      await Promise.all(files.map((_, index) => closeFile(index)));
    },
  };
}
