import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRunFiles, openRunFile } from '../../../../../electron/core/runs/downloads/run-downloads';
import { RunFolder } from '../../../../../electron/core/runs/folder/run-folder';
import { tempDir } from '../../../../helpers/runs-temp';

// Downloads of a run of today's layout: the app's files from the root, the trainer's from output/,
// under the paths a run always had (export/model.onnx, predictions/x.csv); links never served.

const RUN = '20261127-2340-deit-tiny-x7k2';
let dir: string;
let cleanup: () => void;
let runsDir: string;
let folder: RunFolder;

function write(file: string, data: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  runsDir = path.join(dir, 'runs');
  folder = new RunFolder(runsDir, RUN);
  write(folder.runJson, '{"app": "record"}');
  write(folder.stateJson, '{}');
  write(folder.configJson, '{}');
  write(folder.predictionMeta('20261128-0900-ab12.csv'), '{"folder": "/data/new"}'); // hidden: not offered
  write(folder.trainerFile('export/model.onnx'), 'onnx');
  write(folder.trainerFile('report.md'), '# Methods');
  write(folder.trainerFile('predictions/20261128-0900-ab12.csv'), 'path,predicted\n');
  write(folder.trainerFile('.cache/compile/kernel.so'), 'code'); // the trainer's own cache: never offered
  write(path.join(dir, 'secret.txt'), 'not for the browser');
  // What a tampered container could plant in output/: a link out, and files named like the app's.
  fs.symlinkSync(path.join(dir, 'secret.txt'), folder.trainerFile('export/secret.onnx'));
  write(folder.trainerFile('run.json'), '{"planted": true}');
});
afterEach(() => cleanup());

describe('downloads of a run with an output/ folder', () => {
  it('lists the run as one folder, skipping links, hidden folders and files shadowing the app’s', async () => {
    const { files } = await listRunFiles(runsDir, RUN);
    expect(files.map((f) => f.path)).toEqual([
      'config.json',
      'export/model.onnx',
      'predictions/20261128-0900-ab12.csv',
      'report.md',
      'run.json',
      'state.json',
    ]);
  });

  it('serves a trainer file from output/ and the app’s record from the root, never a link', async () => {
    const onnx = await openRunFile(runsDir, RUN, 'export/model.onnx');
    expect((await onnx.handle.readFile()).toString()).toBe('onnx');
    await onnx.handle.close();
    const record = await openRunFile(runsDir, RUN, 'run.json');
    expect((await record.handle.readFile()).toString()).toBe('{"app": "record"}');
    await record.handle.close();
    await expect(openRunFile(runsDir, RUN, 'export/secret.onnx')).rejects.toMatchObject({ kind: 'unauthorized' });
    await expect(openRunFile(runsDir, RUN, 'output/report.md')).rejects.toMatchObject({ kind: 'not_found' });
  });
});
