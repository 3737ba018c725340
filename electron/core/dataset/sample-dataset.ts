import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { AppError, type SampleDataset } from '../../contract';

/**
 * The built-in sample dataset behind “Try with the sample images”: `assets/sample-digits.tar.gz`
 * (made by scripts/make-sample-dataset.py; source and licence in assets/README.md), shipped beside
 * the app. The app never writes where it is installed: the archive is unpacked once into the data
 * folder, `<data>/samples/digits-<sha12>/`, and that folder is the dataset (read-only for training,
 * like any other).
 *
 *   const sample = await ensureSampleDataset(options.sampleArchive, path.join(dataDir, 'samples'));
 *   scan(sample.path)
 *
 * Every entry is checked (`<digit>/<number>.png`, plain files, bounded sizes) before anything is
 * written; the copy is unpacked beside its final place and renamed into it, so a folder with that
 * name is always complete. A copy that lost files is unpacked again.
 */

/** What the sample is, in the user's words (the Dataset step shows it beside the button). */
export const SAMPLE_FACTS = {
  title: 'Handwritten digits',
  description: 'Scans of handwritten digits 0–9, 8×8 pixels, one folder per digit.',
  credit:
    'E. Alpaydin and C. Kaynak, Optical Recognition of Handwritten Digits (UCI Machine Learning Repository), CC BY 4.0.',
} as const;

const DIR_NAME = /^[0-9]\/$/;
const FILE_NAME = /^[0-9]\/[0-9]{1,6}\.png$/;
/** Far above the real archive (1,797 files of ~130 bytes): a damaged or foreign archive stops here. */
const MAX_FILES = 20_000;
const MAX_FILE_BYTES = 64 * 1024;
const MAX_ARCHIVE_BYTES = 16 * 1024 * 1024;

interface SampleContents {
  sha256: string;
  files: Map<string, Buffer>;
}

function damaged(detail: string): AppError {
  return new AppError('internal', 'The sample images that came with DeiT Studio are damaged.', {
    fix: 'Reinstall DeiT Studio, or choose a folder of your own images.',
    detail,
  });
}

/** Reads and checks the archive in memory (it is small): its hash and every file by name. */
export async function readSampleArchive(archive: string): Promise<SampleContents> {
  const bytes = await fs.readFile(archive).catch((error: unknown) => {
    throw new AppError('not_available', 'The sample images are not part of this installation of DeiT Studio.', {
      fix: 'Reinstall DeiT Studio, or choose a folder of your own images.',
      detail: `${archive}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    });
  });
  if (bytes.length > MAX_ARCHIVE_BYTES) throw damaged(`${archive} is ${bytes.length} bytes`);
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const fail = (why: string) => extract.destroy(damaged(`${header.name}: ${why}`));
    const isDir = header.type === 'directory';
    if (isDir ? !DIR_NAME.test(header.name) : header.type !== 'file' || !FILE_NAME.test(header.name)) {
      return fail('unexpected entry');
    }
    if ((header.size ?? 0) > MAX_FILE_BYTES) return fail('file too large');
    if (files.size >= MAX_FILES) return fail('too many files');
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      if (!isDir) files.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  try {
    await pipeline(Readable.from([bytes]), zlib.createGunzip(), extract);
  } catch (error) {
    throw error instanceof AppError ? error : damaged(`${archive}: ${String(error)}`);
  }
  if (files.size === 0) throw damaged(`${archive} holds no images`);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), files };
}

/** True when `folder` holds every file of the archive with its size (a quick check, no reading). */
async function isComplete(folder: string, files: Map<string, Buffer>): Promise<boolean> {
  for (const [name, data] of files) {
    const stat = await fs.stat(path.join(folder, name)).catch(() => null);
    if (!stat?.isFile() || stat.size !== data.length) return false;
  }
  return true;
}

const pending = new Map<string, Promise<SampleDataset>>();

/**
 * The sample's folder in `samplesDir`, unpacked from `archive` when it is not there (or incomplete).
 * Concurrent calls share one unpacking.
 */
export function ensureSampleDataset(archive: string, samplesDir: string): Promise<SampleDataset> {
  const key = `${archive}\0${samplesDir}`;
  let job = pending.get(key);
  if (!job) {
    job = unpack(archive, samplesDir).finally(() => pending.delete(key));
    pending.set(key, job);
  }
  return job;
}

async function unpack(archive: string, samplesDir: string): Promise<SampleDataset> {
  const { sha256, files } = await readSampleArchive(archive);
  const folder = path.join(samplesDir, `digits-${sha256.slice(0, 12)}`);
  if (!(await isComplete(folder, files))) {
    await fs.mkdir(samplesDir, { recursive: true });
    const temp = path.join(samplesDir, `.unpacking-${randomBytes(6).toString('hex')}`);
    try {
      for (const name of new Set([...files.keys()].map((n) => path.dirname(n)))) {
        await fs.mkdir(path.join(temp, name), { recursive: true });
      }
      for (const [name, data] of files) await fs.writeFile(path.join(temp, name), data, { mode: 0o444 });
      await fs.rm(folder, { recursive: true, force: true }); // an incomplete copy
      await fs.rename(temp, folder);
    } finally {
      await fs.rm(temp, { recursive: true, force: true });
    }
  }
  const classes = new Set([...files.keys()].map((n) => n.split('/')[0]));
  return { path: folder, ...SAMPLE_FACTS, images: files.size, classes: classes.size };
}
