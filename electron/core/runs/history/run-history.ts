import fs from 'node:fs/promises';
import path from 'node:path';
import { GpuSample, type RunDetail, type StepPoint } from '../../../contract';
import { downsampleLttb } from '../../../contract/downsample';
import type { LiveRun } from '../lifecycle/live-run';
import { loadMetrics } from '../ingest/metrics-stream';
import type { RunFolder } from '../folder/run-folder';
import type { RunMetrics } from '../ingest/run-metrics';
import type { RunRecordFile, RunStateFile } from '../folder/run-files';
import { buildRunSummary } from './run-summary';
import { CAPS, readContainerTail } from '../folder/container-file';

/** Metrics of recently opened finished runs, so reopening a dashboard does not re-read a big file. */
const cache = new Map<string, { key: string; metrics: RunMetrics }>();
const CACHE_RUNS = 4;

/** A run's metrics: the live ones when the app is following it, else rebuilt from metrics.jsonl. */
export async function runMetrics(folder: RunFolder, live: LiveRun | undefined): Promise<RunMetrics> {
  if (live) return live.stream.metrics;
  const stat = await fs.lstat(folder.metrics).catch(() => null);
  const key = `${folder.dir}:${stat?.size ?? 0}:${stat?.mtimeMs ?? 0}`;
  const hit = cache.get(folder.dir);
  if (hit && hit.key === key) return hit.metrics;
  const { stream } = await loadMetrics(folder.metrics, folder.trainerDir);
  cache.delete(folder.dir);
  cache.set(folder.dir, { key, metrics: stream.metrics });
  while (cache.size > CACHE_RUNS) cache.delete(cache.keys().next().value as string);
  return stream.metrics;
}

/**
 * Everything a run's dashboard draws: settings, epochs, steps and GPU samples downsampled (LTTB)
 * to `maxPoints`, skipped files, warnings, and `eventCount` — the number of metrics.jsonl lines
 * already reflected here, after which a client's live `run.event`s continue.
 */
export async function runDetail(
  folder: RunFolder,
  record: RunRecordFile,
  state: RunStateFile,
  live: LiveRun | undefined,
  maxPoints: number,
  now: Date,
): Promise<RunDetail> {
  const metrics = await runMetrics(folder, live);
  const summary = live ? live.summary() : buildRunSummary(record, state, metrics, now);
  const gpu = await readGpuSamples(folder.gpuLog);
  return {
    summary,
    settings: record.settings,
    started: metrics.started ? { ...metrics.started } : null,
    epochs: metrics.epochs.slice(),
    steps: downsampleLttb<StepPoint>(metrics.steps, maxPoints, { x: (p) => p.globalStep, y: (p) => p.loss }),
    gpu: downsampleLttb<GpuSample>(gpu, maxPoints, { x: (s) => s.time, y: meanUtilization }),
    skipped: metrics.skipped.slice(),
    skippedTotal: metrics.skippedTotal,
    batchSize: metrics.batchSize,
    warnings: metrics.warnings.slice(),
    eventCount: metrics.eventCount,
  };
}

/**
 * Reads gpu.jsonl (its last `CAPS.gpuTail` bytes), skipping lines that are not samples (e.g. one cut
 * short by a crash); a link or a non-regular file reads as no samples.
 */
export async function readGpuSamples(file: string): Promise<GpuSample[]> {
  const text = await tailOrEmpty(file, CAPS.gpuTail);
  const samples: GpuSample[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = GpuSample.safeParse(JSON.parse(line));
      if (parsed.success) samples.push(parsed.data);
    } catch {
      // not JSON: skip
    }
  }
  return samples;
}

/**
 * The lines of train.log containing `query` (any case), the last `limit` of them, and how many matched
 * — in its last `CAPS.logTail` bytes (a log of any size, or a link to /dev/zero, costs at most that).
 */
export async function readRunLog(
  file: string,
  query: string | undefined,
  limit: number,
): Promise<{ lines: string[]; total: number }> {
  const text = await tailOrEmpty(file, CAPS.logTail);
  let lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const needle = query?.trim().toLowerCase();
  if (needle) lines = lines.filter((line) => line.toLowerCase().includes(needle));
  return { lines: lines.slice(-limit), total: lines.length };
}

function meanUtilization(sample: GpuSample): number {
  const values = sample.gpus.map((gpu) => gpu.utilizationPct).filter((v): v is number => v !== null);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** The end of a container-written file; empty when missing, unreadable or refused (a link, a pipe, a device). */
async function tailOrEmpty(file: string, maxBytes: number): Promise<string> {
  return readContainerTail(file, path.dirname(file), maxBytes).then(
    (tail) => tail.text,
    () => '',
  );
}
