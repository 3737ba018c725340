import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CAPS,
  openContainerFile,
  readContainerJson,
  readContainerTail,
  readContainerText,
} from '../../../../../electron/core/runs/folder/container-file';
import { checkedRunMount } from '../../../../../electron/core/runs/folder/mount-check';
import { RunFolder } from '../../../../../electron/core/runs/folder/run-folder';
import { readGpuSamples, readRunLog } from '../../../../../electron/core/runs/history/run-history';
import { endWithNewline, loadMetrics } from '../../../../../electron/core/runs/ingest/metrics-stream';
import { FileFollower } from '../../../../../electron/core/runs/ingest/file-follower';
import { fixtureBytes } from '../../../../helpers/runs-fixtures';
import { tempDir } from '../../../../helpers/runs-temp';

// What a training container could leave in the folders it writes (a crafted image that exploits a
// decoder bug runs code as the trainer): links, FIFOs, huge files. The app must not follow, block or bloat.

const GIB = 1024 ** 3;
let dir: string;
let cleanup: () => void;
let runsDir: string;
let folder: RunFolder;
let outside: string;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  runsDir = path.join(dir, 'runs');
  folder = new RunFolder(runsDir, '20261127-2340-deit-tiny-x7k2');
  fs.mkdirSync(folder.outputDir, { recursive: true });
  outside = path.join(dir, 'outside');
  fs.mkdirSync(outside);
});
afterEach(() => cleanup());

/** The growth of this process's memory while `task` runs (RSS: what the machine pays). */
async function memoryGrowth<T>(task: () => Promise<T>): Promise<{ value: T; grownBytes: number }> {
  const before = process.memoryUsage().rss;
  const value = await task();
  return { value, grownBytes: process.memoryUsage().rss - before };
}

describe('the run folder layout', () => {
  it('frees a finished run’s caches; a .cache planted as a link is removed as a link, its target kept', async () => {
    fs.mkdirSync(path.join(folder.outputDir, '.cache', 'decoded', 'k1'), { recursive: true });
    fs.writeFileSync(path.join(folder.outputDir, '.cache', 'decoded', 'k1', 'images.u8'), 'x');
    fs.writeFileSync(path.join(folder.outputDir, 'metrics.jsonl'), '');
    await folder.dropTrainerCaches();
    expect(fs.existsSync(path.join(folder.outputDir, '.cache'))).toBe(false);
    expect(fs.existsSync(folder.metrics)).toBe(true);
    fs.writeFileSync(path.join(outside, 'keep.txt'), 'mine');
    fs.symlinkSync(outside, path.join(folder.outputDir, '.cache'));
    await folder.dropTrainerCaches();
    expect(fs.existsSync(path.join(folder.outputDir, '.cache'))).toBe(false);
    expect(fs.readFileSync(path.join(outside, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('puts the trainer’s files in output/ and keeps the app’s in the root; a run from before output/ reads as it was', () => {
    expect(folder.layout).toBe('output');
    expect(folder.metrics).toBe(path.join(folder.dir, 'output', 'metrics.jsonl'));
    expect(folder.bestCheckpoint).toBe(path.join(folder.dir, 'output', 'checkpoints', 'best.pt'));
    expect(folder.predictionsDir).toBe(path.join(folder.dir, 'output', 'predictions'));
    expect(folder.stateJson).toBe(path.join(folder.dir, 'state.json'));
    expect(folder.predictionMeta('20261129-023105-ab12.csv')).toBe(
      path.join(folder.dir, 'predictions', '.20261129-023105-ab12.json'),
    );
    const old = new RunFolder(runsDir, '20261001-0900-deit-tiny-old1');
    fs.mkdirSync(old.dir, { recursive: true });
    fs.writeFileSync(path.join(old.dir, 'metrics.jsonl'), fixtureBytes('finished-run.jsonl'));
    expect(old.layout).toBe('legacy');
    expect(new RunFolder(runsDir, old.id).metrics).toBe(path.join(old.dir, 'metrics.jsonl'));
    expect(new RunFolder(runsDir, old.id).checkpointsDir).toBe(path.join(old.dir, 'checkpoints'));
  });
});

describe('gpu.jsonl', () => {
  it('is not appended through a link planted in the run folder', async () => {
    const target = path.join(outside, 'x');
    fs.writeFileSync(target, 'untouched\n');
    fs.symlinkSync(target, folder.gpuLog);
    const sample = { time: 1_796_000_000_000, gpus: [] };
    await expect(folder.appendGpuSample(sample)).rejects.toMatchObject({ kind: 'not_available' });
    expect(fs.readFileSync(target, 'utf8')).toBe('untouched\n');
    expect(await readGpuSamples(folder.gpuLog)).toEqual([]); // nor read back through it
  });

  it('is appended as a private regular file otherwise', async () => {
    const sample = { time: 1_796_000_000_000, gpus: [] };
    await folder.appendGpuSample(sample);
    await folder.appendGpuSample(sample);
    expect(await readGpuSamples(folder.gpuLog)).toHaveLength(2);
    expect(fs.statSync(folder.gpuLog).mode & 0o777).toBe(0o600);
  });
});

describe('train.log', () => {
  it('as a link to /dev/zero reads as empty, without reading the device', async () => {
    fs.symlinkSync('/dev/zero', folder.trainLog);
    const { value, grownBytes } = await memoryGrowth(() => readRunLog(folder.trainLog, undefined, 100));
    expect(value).toEqual({ lines: [], total: 0 });
    expect(grownBytes).toBeLessThan(256 * 1024 ** 2);
  });

  it('of 1 GiB (sparse) gives its last lines, reading only its end', async () => {
    const fd = fs.openSync(folder.trainLog, 'w');
    fs.ftruncateSync(fd, GIB);
    fs.writeSync(fd, '\nepoch 1 done\nepoch 2 done\n', GIB);
    fs.closeSync(fd);
    const { value, grownBytes } = await memoryGrowth(() => readRunLog(folder.trainLog, 'epoch', 10));
    expect(value).toEqual({ lines: ['epoch 1 done', 'epoch 2 done'], total: 2 });
    expect(grownBytes).toBeLessThan(256 * 1024 ** 2);
    const tail = await readContainerTail(folder.trainLog, folder.trainerDir, 64);
    expect(tail).toEqual({ text: 'epoch 1 done\nepoch 2 done\n', cut: true });
  });
});

describe('reading a container-written file', () => {
  it('refuses a link, a FIFO and a folder; gives null for a missing file', async () => {
    fs.writeFileSync(path.join(outside, 'secret.json'), '{"secret": true}');
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(folder.outputDir, 'resolved-config.json'));
    await expect(
      openContainerFile(path.join(folder.outputDir, 'resolved-config.json'), folder.outputDir),
    ).rejects.toMatchObject({
      kind: 'not_available',
      message: expect.stringContaining('resolved-config.json in the run folder is a link'),
    });
    expect(await readContainerJson(path.join(folder.outputDir, 'resolved-config.json'), folder.outputDir)).toBeNull();

    execFileSync('mkfifo', [path.join(folder.outputDir, 'split.json')]); // opening it must not block
    await expect(
      readContainerText(path.join(folder.outputDir, 'split.json'), folder.outputDir, CAPS.json),
    ).rejects.toMatchObject({
      message: expect.stringContaining('not a regular file'),
    });
    fs.mkdirSync(path.join(folder.outputDir, 'skipped.json'));
    await expect(
      readContainerText(path.join(folder.outputDir, 'skipped.json'), folder.outputDir, CAPS.json),
    ).rejects.toMatchObject({
      message: expect.stringContaining('not a regular file'),
    });
    expect(await readContainerText(path.join(folder.outputDir, 'report.md'), folder.outputDir, CAPS.report)).toBeNull();
  });

  it('refuses a file reached through a linked folder, and one over its cap', async () => {
    fs.mkdirSync(path.join(outside, 'eval'));
    fs.writeFileSync(path.join(outside, 'eval', 'metrics.json'), '{"val_top1": 1}');
    fs.symlinkSync(path.join(outside, 'eval'), path.join(folder.outputDir, 'eval'));
    await expect(openContainerFile(folder.trainerFile('eval/metrics.json'), folder.trainerDir)).rejects.toMatchObject({
      message: expect.stringContaining('inside a link'),
    });
    fs.writeFileSync(folder.trainerFile('report.md'), Buffer.alloc(2048, 0x61));
    await expect(readContainerText(folder.trainerFile('report.md'), folder.trainerDir, 1024)).rejects.toMatchObject({
      message: expect.stringContaining('larger than'),
    });
  });
});

describe('metrics.jsonl', () => {
  it('as a link is not read, and its end is never "repaired" through it', async () => {
    const target = path.join(outside, 'notes.txt');
    fs.writeFileSync(target, 'no newline at the end');
    fs.symlinkSync(target, folder.metrics);
    const { stream, offset } = await loadMetrics(folder.metrics, folder.trainerDir);
    expect(offset).toBe(0);
    expect(stream.metrics.warnings).toEqual([
      expect.objectContaining({ code: 'stream_refused', message: expect.stringContaining('is a link') }),
    ]);
    await endWithNewline(folder.metrics);
    expect(fs.readFileSync(target, 'utf8')).toBe('no newline at the end');
  });

  it('as a FIFO neither blocks the reader nor the follower', async () => {
    execFileSync('mkfifo', [folder.metrics]);
    const { offset } = await loadMetrics(folder.metrics, folder.trainerDir);
    expect(offset).toBe(0);
    const refused: Error[] = [];
    const follower = new FileFollower(folder.metrics, {
      offset: 0,
      onData: () => undefined,
      onRefused: (error) => refused.push(error),
    });
    await follower.read();
    await follower.stop();
    expect(refused).toHaveLength(1);
    await endWithNewline(folder.metrics); // returns instead of waiting for a writer
  });

  it('is followed only up to a cap', async () => {
    fs.writeFileSync(folder.metrics, Buffer.alloc(3000, 0x0a));
    const chunks: number[] = [];
    let limited = 0;
    const follower = new FileFollower(folder.metrics, {
      offset: 0,
      maxBytes: 1000,
      onData: (chunk) => chunks.push(chunk.length),
      onLimit: () => (limited += 1),
    });
    await follower.read();
    await follower.read();
    await follower.stop();
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(limited).toBe(1);
  });
});

describe('mounts re-checked before a container gets them', () => {
  it('refuses checkpoints/ that is a link elsewhere (an /init mount), and a folder outside the runs folder', async () => {
    const earlier = new RunFolder(runsDir, '20261127-2200-deit-tiny-ab12');
    fs.mkdirSync(earlier.outputDir, { recursive: true });
    fs.mkdirSync(path.join(outside, 'home'));
    fs.symlinkSync(path.join(outside, 'home'), earlier.checkpointsDir);
    await expect(checkedRunMount(runsDir, earlier.checkpointsDir, 'folder')).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('it is a link'),
    });
    fs.rmSync(earlier.checkpointsDir);
    fs.mkdirSync(earlier.checkpointsDir);
    expect(await checkedRunMount(runsDir, earlier.checkpointsDir, 'folder')).toBe(
      fs.realpathSync(earlier.checkpointsDir),
    );
    await expect(checkedRunMount(runsDir, outside, 'folder')).rejects.toMatchObject({
      message: expect.stringContaining('not inside the runs folder'),
    });
  });

  it('refuses a folder reached through a linked parent, and a config.json that is not a regular file', async () => {
    const other = path.join(outside, 'run-elsewhere');
    fs.mkdirSync(path.join(other, 'checkpoints'), { recursive: true });
    fs.rmSync(folder.outputDir, { recursive: true });
    fs.symlinkSync(other, folder.outputDir);
    await expect(checkedRunMount(runsDir, path.join(folder.outputDir, 'checkpoints'), 'folder')).rejects.toMatchObject({
      message: expect.stringContaining('through a link'),
    });
    fs.mkdirSync(folder.configJson);
    await expect(checkedRunMount(runsDir, folder.configJson, 'file')).rejects.toMatchObject({
      message: expect.stringContaining('not a regular file'),
    });
  });
});
