import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../../electron/contract';
import type { CoreContext } from '../../../../../electron/core/context';
import { EventBus } from '../../../../../electron/core/event-bus';
import { studioPaths } from '../../../../../electron/core/paths';
import { createRunHandlers } from '../../../../../electron/core/runs/run-handlers';
import { RunService } from '../../../../../electron/core/runs/lifecycle/run-service';
import { finishedOf, fixtureLines } from '../../../../helpers/runs-fixtures';
import { writeRunFolder } from '../../../../helpers/runs-folders';
import { tempDir } from '../../../../helpers/runs-temp';

let dir: string;
let cleanup: () => void;
let handlers: ReturnType<typeof createRunHandlers>;
let service: RunService;
let runsDir: string;
let dataset: string;
let opened: string[];
let previewFolders: Set<string>;

const noDocker = async () => {
  throw new AppError('docker_unreachable', 'History calls must not need Docker.');
};

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  const paths = studioPaths(path.join(dir, 'data'));
  runsDir = paths.runsDir;
  dataset = path.join(dir, 'flowers');
  fs.mkdirSync(path.join(dataset, 'rose'), { recursive: true });
  fs.writeFileSync(path.join(dataset, 'rose', 'a.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  fs.writeFileSync(path.join(dir, 'secret.png'), 'outside');
  opened = [];
  previewFolders = new Set();
  const bus = new EventBus();
  service = new RunService({ docker: noDocker, paths, bus, trainerImage: noDocker });
  const ctx = {
    options: {
      openPath: async (p: string) => {
        opened.push(p);
        return true;
      },
    },
    paths,
    now: () => new Date('2026-11-28T10:00:00Z'),
    previewFolders,
  } as unknown as CoreContext;
  handlers = createRunHandlers(ctx, service);
});
afterEach(async () => {
  await service.close();
  cleanup();
});

const settings = () => ({ datasetPath: dataset, modelId: 'deit_small_patch16_224' as const, epochs: 3 });

describe('runs.list and runs.get', () => {
  it('lists runs newest first with the cached figures of state.json', async () => {
    writeRunFolder(runsDir, '20261127-0900-deit-small-aaaa', {
      settings: settings(),
      state: { status: 'finished', epochsDone: 3, bestValTop1: 0.93, startedAt: '2026-11-27T09:00:00Z' },
      createdAt: '2026-11-27T09:00:00Z',
    });
    writeRunFolder(runsDir, '20261127-1000-deit-small-bbbb', {
      settings: settings(),
      state: { status: 'stopped', resumable: true },
      createdAt: '2026-11-27T10:00:00Z',
    });
    fs.mkdirSync(path.join(runsDir, 'not-a-run'));
    const list = await handlers['runs.list']({});
    expect(list.map((r) => r.id)).toEqual(['20261127-1000-deit-small-bbbb', '20261127-0900-deit-small-aaaa']);
    expect(list[0]).toMatchObject({ status: 'stopped', resumable: true, failure: null });
    expect(list[1]).toMatchObject({ status: 'finished', epochsDone: 3, bestValTop1: 0.93 });
  });

  it('rebuilds a run from its folder, downsampling steps and GPU samples', async () => {
    const id = '20261127-0900-deit-small-aaaa';
    const runDir = writeRunFolder(runsDir, id, {
      settings: settings(),
      state: { status: 'finished', startedAt: '2026-11-27T09:00:00Z' },
      metricsFixture: 'finished-run.jsonl',
    });
    const gpu = Array.from({ length: 100 }, (_, i) =>
      JSON.stringify({
        time: i,
        gpus: [
          {
            index: 0,
            name: 'H100',
            utilizationPct: i % 10,
            memoryUsedMiB: 1,
            memoryTotalMiB: 2,
            temperatureC: 50,
            powerW: 300,
            powerLimitW: 700,
            smClockMHz: 1,
            memClockMHz: 1,
          },
        ],
      }),
    );
    fs.writeFileSync(path.join(runDir, 'gpu.jsonl'), `${gpu.join('\n')}\n{"time":`);
    const detail = await handlers['runs.get']({ id, maxPoints: 10 });
    expect(detail.eventCount).toBe(fixtureLines('finished-run.jsonl').length);
    expect(detail.steps.length).toBeLessThanOrEqual(10);
    expect(detail.gpu).toHaveLength(10);
    const finished = finishedOf('finished-run.jsonl');
    expect(detail.epochs).toHaveLength(finished.epochs_done);
    expect(detail.summary).toMatchObject({
      status: 'finished',
      epochsDone: finished.epochs_done,
      bestValTop1: finished.best_val_top1,
    });
    expect(detail.started).toMatchObject({ type: 'run_started', model: expect.any(String) });
  });

  it('refuses ids that lead outside the runs directory', async () => {
    for (const id of ['..', '.', '.hidden']) {
      await expect(handlers['runs.get']({ id, maxPoints: 100 })).rejects.toMatchObject({ kind: 'not_found' });
    }
  });
});

describe('runs.delete', () => {
  it('deletes a run folder and nothing else', async () => {
    const id = '20261127-0900-deit-small-aaaa';
    writeRunFolder(runsDir, id, { settings: settings(), state: { status: 'finished' } });
    expect(await handlers['runs.delete']({ id, confirm: true })).toEqual({ deleted: true });
    expect(fs.existsSync(path.join(runsDir, id))).toBe(false);
    expect(fs.existsSync(path.join(dataset, 'rose', 'a.png'))).toBe(true);
  });

  it('refuses a run folder that is a link to somewhere else', async () => {
    const elsewhere = path.join(dir, 'elsewhere');
    writeRunFolder(dir, 'elsewhere', { settings: settings() });
    fs.mkdirSync(runsDir, { recursive: true });
    fs.symlinkSync(elsewhere, path.join(runsDir, 'linked'));
    await expect(handlers['runs.delete']({ id: 'linked', confirm: true })).rejects.toBeInstanceOf(AppError);
    expect(fs.existsSync(path.join(elsewhere, 'run.json'))).toBe(true);
  });

  it('refuses a folder that is not a run', async () => {
    fs.mkdirSync(path.join(runsDir, 'plain'), { recursive: true });
    await expect(handlers['runs.delete']({ id: 'plain', confirm: true })).rejects.toMatchObject({ kind: 'not_found' });
    expect(fs.existsSync(path.join(runsDir, 'plain'))).toBe(true);
  });
});

describe('runs.log, runs.image, runs.results, runs.openFolder', () => {
  const id = '20261127-0900-deit-small-aaaa';
  let runDir: string;
  beforeEach(() => {
    runDir = writeRunFolder(runsDir, id, { settings: settings(), state: { status: 'finished' } });
  });

  it('filters the log and returns the last lines with the number of matches', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `${i % 3 === 0 ? 'epoch' : 'step'} line ${i}`);
    fs.writeFileSync(path.join(runDir, 'train.log'), `${lines.join('\r\n')}\r\n`);
    const all = await handlers['runs.log']({ id, limit: 5 });
    expect(all).toEqual({ lines: lines.slice(-5), total: 30 });
    const epochs = await handlers['runs.log']({ id, query: 'EPOCH', limit: 500 });
    expect(epochs.total).toBe(10);
    expect(epochs.lines.every((l) => l.startsWith('epoch'))).toBe(true);
  });

  it('serves no image of a dataset folder not scanned or used in this session (run.json alone is not trusted)', async () => {
    const error = await handlers['runs.image']({ id, file: 'rose/a.png' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'validation', detail: 'not_scanned' });
    expect((error as AppError).fix).toContain(dataset);
    previewFolders.add(fs.realpathSync(path.join(dir, 'secret.png', '..'))); // a previewed parent is not the dataset
    await expect(handlers['runs.image']({ id, file: 'rose/a.png' })).rejects.toMatchObject({ detail: 'not_scanned' });
  });

  it('serves a dataset image by relative path and refuses anything outside the dataset', async () => {
    previewFolders.add(fs.realpathSync(dataset)); // scanned in this session
    const image = await handlers['runs.image']({ id, file: 'rose/a.png' });
    expect(image).toEqual({ mime: 'image/png', dataBase64: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64') });
    fs.symlinkSync(path.join(dir, 'secret.png'), path.join(dataset, 'rose', 'link.png'));
    for (const file of ['../secret.png', path.join(dir, 'secret.png'), 'rose/../../secret.png', 'rose/link.png']) {
      await expect(handlers['runs.image']({ id, file })).rejects.toMatchObject({ kind: 'validation' });
    }
    fs.writeFileSync(path.join(dataset, 'rose', 'notes.txt'), 'hi');
    await expect(handlers['runs.image']({ id, file: 'rose/notes.txt' })).rejects.toMatchObject({ kind: 'validation' });
    await expect(handlers['runs.image']({ id, file: 'rose/none.png' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('reads the results files, tolerating entries it does not understand', async () => {
    await expect(handlers['runs.results']({ id })).rejects.toMatchObject({ kind: 'not_found' });
    fs.mkdirSync(path.join(runDir, 'eval'));
    fs.mkdirSync(path.join(runDir, 'export'));
    fs.writeFileSync(
      path.join(runDir, 'eval', 'metrics.json'),
      JSON.stringify({
        val_top1: 0.9,
        val_top5: 1,
        per_class: [{ name: 'rose', precision: 1, recall: 0.8, f1: 0.89, support: 5 }, { broken: true }],
        confusion: {
          labels: ['rose', 'tulip'],
          matrix: [
            [4, 1],
            [0, 5],
          ],
        },
      }),
    );
    fs.writeFileSync(
      path.join(runDir, 'eval', 'misclassified.json'),
      JSON.stringify([{ path: 'rose/a.png', true: 'rose', predicted: 'tulip', confidence: 0.7 }]),
    );
    for (const name of ['model.onnx', 'model.torchscript.pt', 'labels.json'])
      fs.writeFileSync(path.join(runDir, 'export', name), 'x');
    fs.writeFileSync(path.join(runDir, 'export', 'parity.json'), JSON.stringify({ onnx: 1e-6, torchscript: 2e-7 }));
    fs.writeFileSync(path.join(runDir, 'report.md'), '# Report\n');
    const results = await handlers['runs.results']({ id });
    expect(results.perClass).toEqual([{ name: 'rose', precision: 1, recall: 0.8, f1: 0.89, support: 5 }]);
    expect(results.misclassified).toEqual([
      { path: 'rose/a.png', trueLabel: 'rose', predictedLabel: 'tulip', confidence: 0.7 },
    ]);
    expect(results.exports.map((e) => [e.format, e.parityMaxAbsDiff])).toEqual([
      ['json', null],
      ['onnx', 1e-6],
      ['torchscript', 2e-7],
    ]);
    expect(results.reportMarkdown).toBe('# Report\n');
    expect(results.confusion.matrix).toEqual([
      [4, 1],
      [0, 5],
    ]);
  });

  it('opens the folder through the shell when it can, and always returns its path', async () => {
    expect(await handlers['runs.openFolder']({ id })).toEqual({ path: runDir, opened: true });
    expect(opened).toEqual([runDir]);
  });
});

describe('models and estimates', () => {
  it('lists every model; speeds appear once a GPU is known', async () => {
    const before = await handlers['models.list']({});
    expect(before.every((m) => m.expectedImgPerS === null)).toBe(true);
    service.recordGpuSample({
      time: 1,
      gpus: [
        {
          index: 0,
          name: 'NVIDIA H100 80GB HBM3',
          utilizationPct: 0,
          memoryUsedMiB: 0,
          memoryTotalMiB: 81559,
          temperatureC: 30,
          powerW: 70,
          powerLimitW: 700,
          smClockMHz: 1,
          memClockMHz: 1,
        },
      ],
    });
    const after = await handlers['models.list']({});
    expect(after.find((m) => m.id === 'deit_small_patch16_224')?.expectedImgPerS).toBe(7750);
  });

  it('estimates from the dataset size, and says why when it cannot', async () => {
    service.recordGpuSample({
      time: 1,
      gpus: [
        {
          index: 0,
          name: 'NVIDIA H100 80GB HBM3',
          utilizationPct: 0,
          memoryUsedMiB: 0,
          memoryTotalMiB: 81559,
          temperatureC: 30,
          powerW: 70,
          powerLimitW: 700,
          smClockMHz: 1,
          memClockMHz: 1,
        },
      ],
    });
    const est = await handlers['runs.estimate']({ settings: { ...settingsFull(), device: 'gpu' } });
    expect(est.seconds).toBeGreaterThan(0);
    expect(est.explanation).toMatch(/H100/);
    // On the processor the speed is timed by a probe container; with no trainer image to run it, no
    // figure, and the reason (tests/integration/cpu-speed-probe.test.ts times a real one).
    const cpu = await handlers['runs.estimate']({ settings: { ...settingsFull(), device: 'cpu' } });
    expect(cpu.seconds).toBeNull();
    expect(cpu.explanation).toMatch(/could not time DeiT-\S+ on this processor: /);
  });
});

function settingsFull() {
  return {
    ...settings(),
    valRatio: 0.2,
    batchSize: 'auto' as const,
    learningRate: null,
    imgSize: 224,
    augment: 'standard' as const,
    precision: 'auto' as const,
    compile: 'auto' as const,
    freezeBackbone: false,
    earlyStoppingPatience: null,
    seed: 0,
    ema: false,
    layerDecay: 0.75,
    classBalance: 'none' as const,
    pretrained: true,
    gpuIds: [],
  };
}
