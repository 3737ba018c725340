import fs from 'node:fs';
import path from 'node:path';
import { parseEventLine } from '../../electron/core/runs/ingest/event-line';
import { applyLine, emptyRunMetrics, type RunMetrics } from '../../electron/core/runs/ingest/run-metrics';

/** The trainer's protocol fixtures (docker/protocol/fixtures/), shared by the Python and TS tests. */
export const FIXTURE_DIR = path.resolve(__dirname, '../../docker/protocol/fixtures');

/** The fixture files present; fails loudly when the trainer's fixtures are missing. */
export function fixtureNames(): string[] {
  if (!fs.existsSync(FIXTURE_DIR)) {
    throw new Error(`${FIXTURE_DIR} is missing: merge the trainer branch (docker/protocol/fixtures/).`);
  }
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
}

/** A fixture's bytes. */
export function fixtureBytes(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURE_DIR, name));
}

/** A fixture's lines (without the trailing empty one). */
export function fixtureLines(name: string): string[] {
  const lines = fixtureBytes(name).toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Metrics after applying every line of a fixture. */
export function metricsOf(name: string): RunMetrics {
  const metrics = emptyRunMetrics();
  for (const line of fixtureLines(name)) applyLine(metrics, parseEventLine(line));
  return metrics;
}

/** The `finished` event of a fixture (the figures a summary must show). */
export function finishedOf(name: string): { epochs_done: number; best_val_top1: number | null } {
  const line = fixtureLines(name).find((l) => /"type":\s*"finished"/.test(l));
  if (!line) throw new Error(`${name} has no finished event`);
  return JSON.parse(line) as { epochs_done: number; best_val_top1: number | null };
}
