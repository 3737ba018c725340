import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, type EventPayload } from '../../../../electron/contract';
import type { CoreContext } from '../../../../electron/core/context';
import { createDatasetHandlers } from '../../../../electron/core/dataset/dataset-handlers';
import { resolveDatasetRoot } from '../../../../electron/core/dataset/scan/dataset-root';
import { readThumbnail } from '../../../../electron/core/dataset/thumbnails/dataset-thumbnail';
import { dispatchCall } from '../../../../electron/core/dispatch';
import { EventBus } from '../../../../electron/core/event-bus';
import type { Handlers } from '../../../../electron/contract';
import { fixture, makePng, tempFolder, withJpegComment, type TempFolder } from './dataset-files';

const folders: TempFolder[] = [];
afterEach(() => folders.splice(0).forEach((f) => f.cleanup()));

function setup() {
  const bus = new EventBus();
  const closers: Array<() => void> = [];
  const data = tempFolder();
  folders.push(data);
  const ctx = {
    bus,
    paths: { thumbnailsDir: `${data.root}/thumbnails` },
    onClose: (fn: () => void) => closers.push(fn),
    previewFolders: new Set<string>(),
  } as unknown as CoreContext;
  const handlers = createDatasetHandlers(ctx) as Handlers;
  const events: Array<EventPayload<'dataset.progress'>> = [];
  bus.on('dataset.progress', (p) => events.push(p));
  return { handlers, events, ctx, close: () => closers.forEach((fn) => fn()) };
}

function dataset(): TempFolder {
  const t = tempFolder();
  folders.push(t);
  t.write('cat/a.jpg', 'fixture:baseline-80x60.jpg');
  t.write('cat/b.png', makePng(64, 64, 1));
  t.write('cat/c.tif', 'fixture:le-30x20.tif');
  t.write('cat/notes.txt', 'hello');
  t.write('cat/corrupt.jpg', 'not a jpeg');
  t.write('cat/.secret.jpg', 'fixture:baseline-80x60.jpg');
  t.write('dog/a.webp', 'fixture:lossy-100x80.webp');
  return t;
}

const errorOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

describe('dataset.scan through the contract', () => {
  it('validates, scans, and streams progress with the root on the event bus', async () => {
    const { handlers, events } = setup();
    const t = dataset();
    const result = await dispatchCall(handlers, 'dataset.scan', { path: `${t.root}/` });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toMatchObject({ root: t.root, totalImages: 4 });
    expect(events.at(-1)).toMatchObject({ root: t.root, phase: 'done' });
  });

  it('refuses relative paths and ratios outside (0, 1) before scanning', async () => {
    const { handlers } = setup();
    expect(await dispatchCall(handlers, 'dataset.scan', { path: 'data/cats' })).toMatchObject({
      ok: false,
      error: { kind: 'validation' },
    });
    expect(await dispatchCall(handlers, 'dataset.scan', { path: '/tmp', valRatio: 1 })).toMatchObject({
      ok: false,
      error: { kind: 'validation' },
    });
  });

  it('a newer scan of the same folder (by another path to it) cancels the running one', async () => {
    const { handlers, events } = setup();
    const t = tempFolder();
    folders.push(t);
    for (let i = 0; i < 400; i++) t.write(`c${i % 4}/${i}.png`, makePng(8, 8, i));
    const viaLink = `${t.root}-link`;
    fs.symlinkSync(t.root, viaLink);
    try {
      const first = handlers['dataset.scan']({ path: t.root, valRatio: 0.2 });
      const second = handlers['dataset.scan']({ path: viaLink, valRatio: 0.2 });
      expect((await errorOf(first)).kind).toBe('cancelled');
      expect((await second).totalImages).toBe(400);
      expect(events.filter((e) => e.root === t.root && e.phase === 'done')).toHaveLength(0);
    } finally {
      fs.unlinkSync(viaLink);
    }
  });

  it('dataset.cancelScan cancels a running scan and says whether there was one', async () => {
    const { handlers } = setup();
    const t = tempFolder();
    folders.push(t);
    for (let i = 0; i < 400; i++) t.write(`c${i % 4}/${i}.png`, makePng(8, 8, i));
    const scan = handlers['dataset.scan']({ path: t.root, valRatio: 0.2 });
    // The scan registers once its folder's real path is known (a file system call): ask until it is.
    let answer = { cancelled: false };
    for (let i = 0; i < 500 && !answer.cancelled; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      answer = await handlers['dataset.cancelScan']({ path: t.root });
    }
    expect(answer).toEqual({ cancelled: true });
    expect((await errorOf(scan)).kind).toBe('cancelled');
    expect(await handlers['dataset.cancelScan']({ path: t.root })).toEqual({ cancelled: false });
  });
});

describe('dataset.thumbnail', () => {
  it('only for folders scanned in this session', async () => {
    const { handlers } = setup();
    const t = dataset();
    const error = await errorOf(handlers['dataset.thumbnail']({ root: t.root, file: 'cat/a.jpg' }));
    expect(error).toMatchObject({ kind: 'validation', detail: 'not_scanned' }); // the renderer scans again on this
  });

  it('also for a folder classified in this session (runs.predict registers it), without a scan', async () => {
    const { handlers, ctx } = setup();
    const t = dataset();
    ctx.previewFolders.add(fs.realpathSync(t.root));
    const thumb = await handlers['dataset.thumbnail']({ root: t.root, file: 'cat/b.png' });
    expect(thumb.mime).toBe('image/png');
  });

  it('returns the image bytes of a listed sample with its type', async () => {
    const { handlers } = setup();
    const t = dataset();
    const scan = await handlers['dataset.scan']({ path: t.root, valRatio: 0.2 });
    const sample = scan.classes[1]!.samples[0]!;
    expect(sample).toBe('dog/a.webp');
    const thumb = await handlers['dataset.thumbnail']({ root: t.root, file: sample });
    expect(thumb.mime).toBe('image/webp');
    expect(Buffer.from(thumb.dataBase64, 'base64').equals(fixture('lossy-100x80.webp'))).toBe(true);
  });

  it.each([
    ['../outside.jpg', 'validation'],
    ['cat/../../outside.jpg', 'validation'],
    ['/etc/passwd', 'validation'],
    ['C:/Windows/win.ini', 'validation'],
    ['cat//a.jpg', 'validation'],
    ['cat/./a.jpg', 'validation'],
    ['cat/.secret.jpg', 'validation'],
    ['cat/notes.txt', 'validation'],
    ['cat/corrupt.jpg', 'validation'],
    ['cat/missing.jpg', 'not_found'],
  ])('refuses %s (%s)', async (file, kind) => {
    const { handlers } = setup();
    const t = dataset();
    await handlers['dataset.scan']({ path: t.root, valRatio: 0.2 });
    const error = await errorOf(handlers['dataset.thumbnail']({ root: t.root, file }));
    expect(error.kind).toBe(kind);
    expect(error.fix).toBeTruthy();
  });

  it('refuses a link that leads outside the folder, which the scan skips too', async () => {
    const { handlers } = setup();
    const t = dataset();
    const outside = tempFolder();
    folders.push(outside);
    t.link('cat/elsewhere.png', outside.write('real.png', makePng(64, 64, 3)));
    t.link('cat/inside.png', 'b.png');
    const scan = await handlers['dataset.scan']({ path: t.root, valRatio: 0.2 });
    expect(scan.totalImages).toBe(5);
    expect(scan.skipped.find((s) => s.path === 'cat/elsewhere.png')?.code).toBe('link_outside');
    const error = await errorOf(handlers['dataset.thumbnail']({ root: t.root, file: 'cat/elsewhere.png' }));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('outside the dataset folder');
    expect((await handlers['dataset.thumbnail']({ root: t.root, file: 'cat/inside.png' })).mime).toBe('image/png');
  });
});

describe('readThumbnail size limits', () => {
  it('a large photo sends the JPEG preview embedded in its Exif data, not the whole file', async () => {
    const t = tempFolder();
    folders.push(t);
    const photo = fixture('exif-thumb-160x120.jpg');
    t.write('cat/photo.jpg', photo);
    const thumb = await readThumbnail(fs.realpathSync(t.root), 'cat/photo.jpg', {
      maxBytes: 1000,
      preferExifAbove: 1000,
    });
    const bytes = Buffer.from(thumb.dataBase64, 'base64');
    expect(thumb.mime).toBe('image/jpeg');
    expect(bytes.length).toBeLessThan(photo.length);
    expect(photo.includes(bytes)).toBe(true); // the embedded preview, byte for byte
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('a large image without an embedded preview: a typed "too big to preview" error', async () => {
    const t = tempFolder();
    folders.push(t);
    t.write('cat/big.jpg', withJpegComment(fixture('baseline-80x60.jpg'), 'z'.repeat(5000)));
    const error = await errorOf(
      readThumbnail(fs.realpathSync(t.root), 'cat/big.jpg', { maxBytes: 4000, preferExifAbove: 1000 }),
    );
    expect(error.kind).toBe('not_available');
    expect(error.message).toContain('too big to preview');
  });
});

describe('resolveDatasetRoot', () => {
  it('expands ~ and normalises, refuses relative paths', () => {
    expect(resolveDatasetRoot('/data/x/../cats/')).toBe('/data/cats');
    expect(resolveDatasetRoot('~/cats')).toMatch(/\/cats$/);
    expect(() => resolveDatasetRoot('cats')).toThrow(AppError);
  });
});
