import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunSettings, type GpuReading, type RunSummary } from '../../../../../electron/contract';
import { runGpuSample } from '../../../../../electron/core/runs/ingest/gpu-samples';
import { LiveRun } from '../../../../../electron/core/runs/lifecycle/live-run';
import { MetricsStream } from '../../../../../electron/core/runs/ingest/metrics-stream';
import { RunFolder } from '../../../../../electron/core/runs/folder/run-folder';
import { initialRunState } from '../../../../../electron/core/runs/folder/run-files';
import { readGpuSamples } from '../../../../../electron/core/runs/history/run-history';
import { fixtureLines } from '../../../../helpers/runs-fixtures';
import { tempDir, waitFor } from '../../../../helpers/runs-temp';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function liveRun(updates: RunSummary[], events: number[]): LiveRun {
  const folder = new RunFolder(dir, 'r1');
  fs.mkdirSync(folder.outputDir, { recursive: true }); // the trainer's files are in output/
  const settings = RunSettings.parse({ datasetPath: dir, modelId: 'deit_tiny_patch16_224' });
  const record = {
    version: 1 as const,
    id: 'r1',
    name: 'r1',
    createdAt: new Date().toISOString(),
    settings,
    image: null,
  };
  return new LiveRun(
    folder,
    record,
    { ...initialRunState(), status: 'running' },
    new MetricsStream(),
    0,
    { updated: (s) => updates.push(s), event: (_id, index) => events.push(index), log: () => undefined },
    () => new Date(),
  );
}

describe('LiveRun', () => {
  it('publishes status changes at once, progress at most about once a second, and saves state.json', async () => {
    const updates: RunSummary[] = [];
    const events: number[] = [];
    const live = liveRun(updates, events);
    const lines = fixtureLines('finished-run.jsonl');
    const started = lines.findIndex((l) => /"type":\s*"run_started"/.test(l));
    const steps = lines.filter((l) => /"type":\s*"step"/.test(l));
    fs.writeFileSync(live.folder.metrics, `${lines.slice(0, started + 1).join('\n')}\n`);
    await live.follow(20, 0);
    await waitFor(() => updates.length >= 1, 3000, 'the run_started update');
    const afterStart = updates.length;
    // Ten steps arrive over about half a second: one update at once, then at most one a second.
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) {
      fs.appendFileSync(live.folder.metrics, `${steps[i % steps.length]}\n`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (Date.now() - t0) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const progressUpdates = updates.length - afterStart;
    expect(progressUpdates).toBeGreaterThanOrEqual(1);
    expect(progressUpdates).toBeLessThanOrEqual(Math.ceil(seconds) + 1); // unthrottled: 10
    expect(updates[updates.length - 1]!.progress?.globalStep).toBeGreaterThan(0);
    await live.detach();
    expect(events).toEqual(Array.from({ length: started + 11 }, (_, i) => i));
    const state = JSON.parse(fs.readFileSync(live.folder.stateJson, 'utf8'));
    expect(state.status).toBe('running');
  });
});

describe('GPU samples of a run', () => {
  const reading = (index: number): GpuReading => ({
    index,
    name: 'NVIDIA H100',
    utilizationPct: 50 + index,
    memoryUsedMiB: 1000,
    memoryTotalMiB: 81559,
    temperatureC: 40,
    powerW: 300,
    powerLimitW: 700,
    smClockMHz: 1980,
    memClockMHz: 2619,
  });
  const sample = { time: 1, gpus: [reading(0), reading(1), reading(2)] };

  it('keeps only the run’s GPUs, all of them when it uses all', () => {
    expect(runGpuSample(sample, { gpuIds: ['2', '0'] }).gpus.map((g) => g.index)).toEqual([0, 2]);
    expect(runGpuSample(sample, { gpuIds: [] }).gpus).toHaveLength(3);
  });

  it('reads gpu.jsonl back, skipping a line cut short', async () => {
    const file = path.join(dir, 'gpu.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(sample)}\n${JSON.stringify({ ...sample, time: 2 })}\n{"time": 3, "gp`);
    expect((await readGpuSamples(file)).map((s) => s.time)).toEqual([1, 2]);
  });
});
