import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpuUse, type GpuReading } from '../../../../../electron/contract';
import { RunFolder } from '../../../../../electron/core/runs/folder/run-folder';
import {
  choosePredictDevice,
  readTrainingPrecision,
  type PredictDeviceFacts,
} from '../../../../../electron/core/runs/predictions/predict-device';
import { parseTelemetryLine } from '../../../../../electron/core/telemetry/parse-gpu-query';
import { readFixture } from '../../../../helpers/fixtures';

/** One-shot readings of tests/fixtures/nvidia-smi/four-gpus-one-busy (the H100 recording, GPU 2 loaded). */
const readings: GpuReading[] = readFixture('nvidia-smi', 'four-gpus-one-busy', 'telemetry-once.csv')
  .trim()
  .split('\n')
  .map((line) => parseTelemetryLine(line)!.reading);
const gpus = readings.map(({ index, name }) => ({
  index,
  name,
  memoryMiB: 81559,
  uuid: `u${index}`,
  driverVersion: 'x',
}));
const ready: PredictDeviceFacts = { report: { gpuReady: true, gpus }, readings, trainingPrecision: 'bf16' };
const withUse = (index: number, patch: Partial<GpuReading>) =>
  readings.map((r) => (r.index === index ? { ...r, ...patch } : r));

describe('choosePredictDevice', () => {
  it('takes the least busy idle GPU, in the precision the run trained at', () => {
    expect(gpuUse(readings[2]!)).toEqual({
      busy: true,
      text: 'in use by another program (97 % busy, 21 GiB used)',
      figures: '97 % busy, 21 GiB used',
    });
    expect(choosePredictDevice(ready)).toEqual({
      kind: 'gpu',
      gpuId: '0',
      name: 'NVIDIA H100 80GB HBM3',
      precision: 'bf16',
      label: 'GPU 0 (NVIDIA H100 80GB HBM3), bf16',
    });
    // GPU 0 a little busy (a desktop), GPU 1 not at all: GPU 1.
    const device = choosePredictDevice({ ...ready, readings: withUse(0, { utilizationPct: 5, memoryUsedMiB: 400 }) });
    expect(device).toMatchObject({ kind: 'gpu', gpuId: '1' });
  });

  it('never takes a GPU another program uses: every GPU busy means the processor', () => {
    const busy = readings.map((r) => ({ ...r, utilizationPct: 90, memoryUsedMiB: 40_000 }));
    expect(choosePredictDevice({ ...ready, readings: busy })).toMatchObject({
      kind: 'cpu',
      label: 'the processor',
      why: 'every GPU is in use',
    });
    // Only GPU 2 listed by the environment check (the others not visible to containers) and it is busy.
    const onlyBusy = { gpuReady: true, gpus: gpus.filter((g) => g.index === 2) };
    expect(choosePredictDevice({ ...ready, report: onlyBusy })).toMatchObject({ kind: 'cpu' });
  });

  it('autocasts only at the precision the run was validated in; fp32 for a processor-trained or unknown run', () => {
    expect(choosePredictDevice({ ...ready, trainingPrecision: 'fp16' })).toMatchObject({ precision: 'fp16' });
    for (const trainingPrecision of ['fp32', null, 'something-else']) {
      expect(choosePredictDevice({ ...ready, trainingPrecision })).toMatchObject({ kind: 'gpu', precision: 'fp32' });
    }
  });

  it('the processor when containers cannot use a GPU, none is listed, or nothing was checked', () => {
    expect(choosePredictDevice({ ...ready, report: { gpuReady: false, gpus } })).toMatchObject({
      kind: 'cpu',
      precision: 'fp32',
    });
    expect(choosePredictDevice({ ...ready, report: { gpuReady: true, gpus: [] } })).toMatchObject({ kind: 'cpu' });
    expect(choosePredictDevice({ ...ready, report: { gpuReady: true } })).toMatchObject({ kind: 'cpu' });
    expect(choosePredictDevice({ ...ready, report: null })).toMatchObject({ kind: 'cpu' });
  });

  it('without telemetry (use unknown) a usable GPU is still used: the first one', () => {
    expect(choosePredictDevice({ ...ready, readings: null })).toMatchObject({ kind: 'gpu', gpuId: '0' });
  });
});

describe('readTrainingPrecision', () => {
  it('reads the resolved precision the trainer wrote; null when there is none', async () => {
    const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-predict-device-'));
    try {
      const run = new RunFolder(runs, '20261201-1000-deit-tiny-ab12');
      fs.mkdirSync(run.outputDir, { recursive: true });
      expect(await readTrainingPrecision(run)).toBeNull();
      fs.writeFileSync(
        path.join(run.trainerDir, 'resolved-config.json'),
        JSON.stringify({ train: { precision: 'bf16' } }),
      );
      expect(await readTrainingPrecision(run)).toBe('bf16');
      fs.writeFileSync(path.join(run.trainerDir, 'resolved-config.json'), '{"train": {"precision": 16}}');
      expect(await readTrainingPrecision(run)).toBeNull();
    } finally {
      fs.rmSync(runs, { recursive: true, force: true });
    }
  });
});
