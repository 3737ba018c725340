import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../../electron/contract';
import {
  listPredictions,
  openPrediction,
  timeFromName,
} from '../../../../../electron/core/runs/predictions/prediction-history';
import { RunFolder } from '../../../../../electron/core/runs/folder/run-folder';
import { tempDir } from '../../../../helpers/runs-temp';

// As deit_trainer predict writes it (Python's csv module, \r\n line ends).
const CSV = [
  'path,predicted,confidence,top_k,error',
  '/images/a.jpg,cat,0.900000,cat:0.900000;dog:0.100000,',
  '/images/b.jpg,dog,0.700000,dog:0.700000;cat:0.300000,',
  '/images/broken.jpg,,,,not a readable image',
  '',
].join('\r\n');

let dir: string;
let cleanup: () => void;
let run: RunFolder;
let predictions: string;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  run = new RunFolder(path.join(dir, 'runs'), 'run-1');
  // A run of today's layout: the CSVs in output/predictions/, the app's records in predictions/.
  predictions = path.join(run.dir, 'output', 'predictions');
  fs.mkdirSync(predictions, { recursive: true });
  fs.mkdirSync(path.join(run.dir, 'predictions'));
});

afterEach(() => cleanup());

function write(name: string, meta?: object): string {
  const file = path.join(predictions, name);
  fs.writeFileSync(file, CSV);
  if (meta) fs.writeFileSync(run.predictionMeta(name), JSON.stringify(meta));
  return file;
}

describe('listPredictions', () => {
  it('lists the CSVs newest first, with the folder and duration recorded beside them', async () => {
    write('20261129-023105-ab12.csv', {
      folder: '/data/new',
      startedAt: '2026-11-29T02:31:05.120Z',
      durationS: 12.5,
      total: 3,
      classified: 2,
    });
    write('20261130-080000-cd34.csv'); // from before the record beside it existed: counted from its rows
    fs.writeFileSync(path.join(predictions, '20261201-090000-ef56.csv.tmp'), CSV); // cut short: never listed
    fs.writeFileSync(path.join(predictions, 'notes.txt'), 'not a CSV');
    fs.writeFileSync(path.join(predictions, '20261202-000000-zz99.csv'), 'file,label\nx,y\n'); // not the trainer's
    expect(await listPredictions(run)).toEqual([
      {
        file: '20261130-080000-cd34.csv',
        createdAt: '2026-11-30T08:00:00.000Z',
        folder: null,
        total: 3,
        classified: 2,
        durationS: null,
      },
      {
        file: '20261129-023105-ab12.csv',
        createdAt: '2026-11-29T02:31:05.120Z',
        folder: '/data/new',
        total: 3,
        classified: 2,
        durationS: 12.5,
      },
    ]);
  });

  it('is empty for a run that never classified anything', async () => {
    fs.rmSync(predictions, { recursive: true });
    expect(await listPredictions(run)).toEqual([]);
  });
});

describe('what a container could plant in output/predictions/', () => {
  it('a record beside the CSV is not the app’s: its folder is never trusted for previews', async () => {
    write('20261129-023105-ab12.csv');
    const planted = {
      folder: '/home/someone/.ssh',
      startedAt: '2026-11-29T02:31:05.120Z',
      durationS: 1,
      total: 3,
      classified: 2,
    };
    fs.writeFileSync(path.join(predictions, '.20261129-023105-ab12.json'), JSON.stringify(planted));
    expect(await listPredictions(run)).toMatchObject([{ file: '20261129-023105-ab12.csv', folder: null }]);
    expect(await openPrediction(run, '20261129-023105-ab12.csv')).toMatchObject({ folder: '' });
  });

  it('a CSV that is a link is neither listed nor opened', async () => {
    const elsewhere = path.join(dir, 'elsewhere.csv');
    fs.writeFileSync(elsewhere, CSV);
    fs.symlinkSync(elsewhere, path.join(predictions, '20261129-023105-ab12.csv'));
    expect(await listPredictions(run)).toEqual([]);
    await expect(openPrediction(run, '20261129-023105-ab12.csv')).rejects.toMatchObject({ kind: 'not_available' });
  });

  it('a run from before output/ keeps its CSVs and records in predictions/', async () => {
    const old = new RunFolder(path.join(dir, 'runs'), 'run-old');
    fs.mkdirSync(path.join(old.dir, 'checkpoints'), { recursive: true });
    fs.mkdirSync(path.join(old.dir, 'predictions'));
    fs.writeFileSync(path.join(old.dir, 'predictions', '20261129-023105-ab12.csv'), CSV);
    const meta = { folder: '/data/new', startedAt: '2026-11-29T02:31:05.120Z', durationS: 2, total: 3, classified: 2 };
    fs.writeFileSync(path.join(old.dir, 'predictions', '.20261129-023105-ab12.json'), JSON.stringify(meta));
    expect(await listPredictions(old)).toMatchObject([{ file: '20261129-023105-ab12.csv', folder: '/data/new' }]);
  });
});

describe('openPrediction', () => {
  it('answers as runs.predict did: counts per class, rows, folder and duration', async () => {
    const csvPath = write('20261129-023105-ab12.csv', {
      folder: '/data/new',
      startedAt: '2026-11-29T02:31:05.120Z',
      durationS: 12.5,
      total: 3,
      classified: 2,
    });
    const opened = await openPrediction(run, '20261129-023105-ab12.csv');
    expect(opened).toMatchObject({
      folder: '/data/new',
      csvPath,
      total: 3,
      classified: 2,
      byClass: [
        { label: 'cat', count: 1 },
        { label: 'dog', count: 1 },
      ],
      truncated: false,
      durationS: 12.5,
    });
    expect(opened.rows.map((r) => r.file)).toEqual(['a.jpg', 'b.jpg', 'broken.jpg']);
  });

  it('gives each row its attention map from <name>.attention.json, and leaves out malformed maps', async () => {
    write('20261129-023105-ab12.csv');
    const byte = (n: number) => Buffer.alloc(n, 200).toString('base64');
    fs.writeFileSync(
      path.join(predictions, '20261129-023105-ab12.attention.json'),
      JSON.stringify({
        method: 'attention rollout',
        maps: {
          '/images/a.jpg': { grid: [2, 2], cls: byte(4), dist: byte(4) },
          '/images/b.jpg': { grid: [2, 2], cls: byte(3) }, // one byte short of its grid
          '/images/c.jpg': { grid: [65, 1], cls: byte(65) }, // larger than any DeiT grid
        },
      }),
    );
    const rows = (await openPrediction(run, '20261129-023105-ab12.csv')).rows;
    expect(rows[0]?.attention).toEqual({ grid: [2, 2], cls: byte(4), dist: byte(4) });
    expect(rows.slice(1).map((r) => r.attention)).toEqual([undefined, undefined]);
  });

  it('opens an older CSV without its record (no folder to preview from, no duration)', async () => {
    write('20261130-080000-cd34.csv');
    expect(await openPrediction(run, '20261130-080000-cd34.csv')).toMatchObject({ folder: '', durationS: null });
  });

  it('refuses names that are not a CSV of the folder, and says when one is gone', async () => {
    for (const name of ['../run.json', 'a/b.csv', '.hidden.csv', 'x.csv.tmp']) {
      await expect(openPrediction(run, name)).rejects.toMatchObject({ kind: 'validation' });
    }
    const missing = openPrediction(run, '20261129-023105-gone.csv');
    await expect(missing).rejects.toBeInstanceOf(AppError);
    await expect(missing).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('timeFromName', () => {
  it('reads the UTC time run-predict puts in the name', () => {
    expect(timeFromName('20261129-023105-ab12.csv')).toBe('2026-11-29T02:31:05.000Z');
    expect(timeFromName('mine.csv')).toBeNull();
  });
});
