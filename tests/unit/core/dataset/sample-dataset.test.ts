import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/contract';
import type { CoreContext } from '../../../../electron/core/context';
import { createDatasetHandlers } from '../../../../electron/core/dataset/dataset-handlers';
import { ensureSampleDataset, readSampleArchive } from '../../../../electron/core/dataset/sample-dataset';
import { scanDataset } from '../../../../electron/core/dataset/scan/scan-dataset';
import { dispatchCall } from '../../../../electron/core/dispatch';
import { EventBus } from '../../../../electron/core/event-bus';
import { studioPaths } from '../../../../electron/core/paths';
import type { Handlers } from '../../../../electron/contract';

// The archive the app ships (scripts/make-sample-dataset.py; assets/README.md).
const ARCHIVE = path.resolve('assets/sample-digits.tar.gz');

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) {
    await fs.chmod(dir, 0o755).catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  }
});
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-sample-'));
  temps.push(dir);
  return dir;
}

/** A gzipped tar with these entries (a name ending in / is a folder). */
async function makeArchive(entries: Array<[string, Buffer | null]>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, data] of entries) {
    if (data === null) pack.entry({ name, type: 'directory' });
    else pack.entry({ name }, data);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('the shipped sample archive', () => {
  it('holds 1,797 8×8 PNG scans in 10 digit classes, within a small size', async () => {
    expect((await fs.stat(ARCHIVE)).size).toBeLessThan(512 * 1024);
    const { files } = await readSampleArchive(ARCHIVE);
    expect(files.size).toBe(1797);
    const classes = new Map<string, number>();
    for (const [name, data] of files) {
      classes.set(name.split('/')[0]!, (classes.get(name.split('/')[0]!) ?? 0) + 1);
      expect(data.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect([data.readUInt32BE(16), data.readUInt32BE(20)]).toEqual([8, 8]);
    }
    expect([...classes.keys()].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(Math.min(...classes.values())).toBeGreaterThanOrEqual(170);
  });
});

describe('ensureSampleDataset', () => {
  it('unpacks into the data folder once, named after the archive, and scans as a good dataset', async () => {
    const samples = path.join(await tempDir(), 'samples');
    const sample = await ensureSampleDataset(ARCHIVE, samples);
    const sha = createHash('sha256')
      .update(await fs.readFile(ARCHIVE))
      .digest('hex');
    expect(sample).toMatchObject({ path: path.join(samples, `digits-${sha.slice(0, 12)}`), images: 1797, classes: 10 });
    expect(sample.credit).toMatch(/CC BY 4\.0/);
    expect(await fs.readdir(samples)).toEqual([path.basename(sample.path)]); // no temporary folder left

    const scan = await scanDataset(sample.path, { valRatio: 0.2 });
    expect(scan).toMatchObject({
      totalImages: 1797,
      skippedTotal: 0,
      canTrain: true,
      typicalSize: { width: 8, height: 8 },
    });
    expect(scan.classes.map((c) => c.name)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(scan.warnings.filter((w) => w.severity === 'blocker')).toEqual([]);

    // The second time nothing is written again.
    const file = path.join(sample.path, '3', '0003.png');
    const before = (await fs.stat(file)).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await ensureSampleDataset(ARCHIVE, samples)).path).toBe(sample.path);
    expect((await fs.stat(file)).mtimeMs).toBe(before);
  });

  it('unpacks again when files of the copy went missing', async () => {
    const samples = path.join(await tempDir(), 'samples');
    const sample = await ensureSampleDataset(ARCHIVE, samples);
    await fs.rm(path.join(sample.path, '7'), { recursive: true, force: true });
    await ensureSampleDataset(ARCHIVE, samples);
    expect((await fs.readdir(path.join(sample.path, '7'))).length).toBe(179);
  });

  it('shares one unpacking between calls made at the same time', async () => {
    const samples = path.join(await tempDir(), 'samples');
    const [a, b] = await Promise.all([ensureSampleDataset(ARCHIVE, samples), ensureSampleDataset(ARCHIVE, samples)]);
    expect(a.path).toBe(b.path);
    expect(await fs.readdir(samples)).toEqual([path.basename(a.path)]);
  });

  it.each([
    ['a path leaving the folder', '../evil.png'],
    ['an absolute path', '/tmp/evil.png'],
    ['a file that is not a digit scan', '3/readme.txt'],
    ['a nested folder', '3/more/0001.png'],
  ])('refuses an archive with %s and writes nothing', async (_, name) => {
    const dir = await tempDir();
    const archive = path.join(dir, 'bad.tar.gz');
    await fs.writeFile(
      archive,
      await makeArchive([
        ['3/', null],
        ['3/0001.png', Buffer.from('png')],
        [name, Buffer.from('x')],
      ]),
    );
    const error = await errorOf(ensureSampleDataset(archive, path.join(dir, 'samples')));
    expect(error.kind).toBe('internal');
    expect(error.message).toMatch(/sample images .* damaged/);
    expect(error.fix).toMatch(/Reinstall DeiT Studio/);
    await expect(fs.access(path.join(dir, 'samples'))).rejects.toThrow();
    await expect(fs.access(path.join(dir, 'evil.png'))).rejects.toThrow();
  });

  it('refuses a file that is not a gzipped tar', async () => {
    const dir = await tempDir();
    const archive = path.join(dir, 'bad.tar.gz');
    await fs.writeFile(archive, 'not an archive');
    expect((await errorOf(ensureSampleDataset(archive, path.join(dir, 'samples')))).kind).toBe('internal');
  });

  it('says the sample is not installed when the archive is missing', async () => {
    const dir = await tempDir();
    const error = await errorOf(ensureSampleDataset(path.join(dir, 'missing.tar.gz'), path.join(dir, 'samples')));
    expect(error).toMatchObject({ kind: 'not_available' });
    expect(error.message).toMatch(/not part of this installation/);
  });
});

describe('dataset.sample through the contract', () => {
  function handlers(dataDir: string, sampleArchive?: string): Handlers {
    const ctx = {
      bus: new EventBus(),
      onClose: () => undefined,
      previewFolders: new Set<string>(),
      options: { sampleArchive },
      paths: studioPaths(dataDir),
    } as unknown as CoreContext;
    return createDatasetHandlers(ctx) as Handlers;
  }

  it('returns the sample folder inside the data folder', async () => {
    const dataDir = await tempDir();
    const result = await dispatchCall(handlers(dataDir, ARCHIVE), 'dataset.sample', {});
    expect(result.ok).toBe(true);
    if (result.ok) expect(path.dirname((result.value as { path: string }).path)).toBe(path.join(dataDir, 'samples'));
  });

  it('is a typed error in a shell that has no sample', async () => {
    const result = await dispatchCall(handlers(await tempDir()), 'dataset.sample', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ kind: 'not_available' });
  });
});
