import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { datasetContent } from '../../../../../electron/core/runs/place/dataset-hash';

const dirs: string[] = [];
function temp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-dataset-hash-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function dataset(): string {
  const root = temp();
  for (const [rel, text] of <Array<[string, string]>>[
    ['cat/1.jpg', 'aaaa'],
    ['cat/2.jpg', 'bbbb'],
    ['dog/1.jpg', 'cccc'],
  ]) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('datasetContent (the name of a dataset volume on a server)', () => {
  it('is the same for the same content anywhere, and changes with a name or a byte', async () => {
    const a = dataset();
    const b = dataset();
    const cache = path.join(temp(), 'hashes.json');
    const first = await datasetContent(a, cache);
    expect(first.files.map((f) => f.rel)).toEqual(['cat/1.jpg', 'cat/2.jpg', 'dog/1.jpg']);
    expect(first.bytes).toBe(12);
    expect((await datasetContent(b, cache)).hash).toBe(first.hash);
    fs.renameSync(path.join(b, 'dog/1.jpg'), path.join(b, 'dog/9.jpg'));
    expect((await datasetContent(b, cache)).hash).not.toBe(first.hash);
    fs.writeFileSync(path.join(a, 'cat/1.jpg'), 'aaab'); // same size, new content and time
    fs.utimesSync(path.join(a, 'cat/1.jpg'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect((await datasetContent(a, cache)).hash).not.toBe(first.hash);
  });

  it('reuses a file’s hash while its size and time are unchanged (a second run reads no image)', async () => {
    const root = dataset();
    const cache = path.join(temp(), 'hashes.json');
    const file = path.join(root, 'cat/1.jpg');
    const mtime = new Date(2020, 0, 1); // whole seconds: set again exactly below
    fs.utimesSync(file, mtime, mtime);
    const first = await datasetContent(root, cache);
    fs.writeFileSync(file, 'zzzz'); // changed behind the cache's back: same size, same time
    fs.utimesSync(file, mtime, mtime);
    expect((await datasetContent(root, cache)).hash).toBe(first.hash);
    fs.rmSync(cache);
    expect((await datasetContent(root, cache)).hash).not.toBe(first.hash); // read again without the cache
  });
});
