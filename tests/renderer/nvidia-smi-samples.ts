import type { GpuSample } from '../../electron/contract';
import { parseTelemetryLine } from '../../electron/core/telemetry/parse-gpu-query';
import fs from 'node:fs';
import path from 'node:path';

// jsdom's import.meta.url is not a file URL, so tests/helpers/fixtures.ts cannot be used here;
// vitest runs from the repository root.
const readFixture = (...parts: string[]) =>
  fs.readFileSync(path.join(process.cwd(), 'tests', 'fixtures', ...parts), 'utf8');

/**
 * A recorded nvidia-smi telemetry stream (tests/fixtures/nvidia-smi/<variant>/<file>) as the app's
 * GPU samples, parsed by the app's own parser: a sample per second, each holding every GPU's line of
 * that second (GPU 0 starts a new one). Times are `t0 + n` seconds.
 */
export function recordedGpuSamples(variant: string, file = 'telemetry-stream-load.csv', t0 = 1_000): GpuSample[] {
  const samples: GpuSample[] = [];
  for (const text of readFixture('nvidia-smi', variant, file).split('\n')) {
    const line = parseTelemetryLine(text);
    if (!line) continue;
    if (line.reading.index === 0 || samples.length === 0) samples.push({ time: t0 + samples.length, gpus: [] });
    samples.at(-1)!.gpus.push(line.reading);
  }
  return samples;
}

/** The GPUs of a recorded inventory, as the environment step hands them to the wizard. */
export function recordedGpus(variant: string): Array<{ index: number; name: string; memoryMiB: number | null }> {
  return readFixture('nvidia-smi', variant, 'gpu-inventory.csv')
    .trim()
    .split('\n')
    .map((line) => {
      const [, index, name, memory] = line.split(', ');
      return { index: Number(index), name: name!, memoryMiB: Number(memory) };
    });
}
