import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../../../../electron/contract';
import { FileFollower } from '../../../../../electron/core/runs/ingest/file-follower';
import { endWithNewline, loadMetrics, MetricsStream } from '../../../../../electron/core/runs/ingest/metrics-stream';
import { fixtureBytes, fixtureLines } from '../../../../helpers/runs-fixtures';
import { tempDir, waitFor } from '../../../../helpers/runs-temp';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('MetricsStream', () => {
  it('gives each event its line number, whatever the chunk boundaries', () => {
    const bytes = fixtureBytes('stopped-resumed.jsonl');
    const stream = new MetricsStream();
    const seen: number[] = [];
    stream.listener = (index) => seen.push(index);
    for (let at = 0; at < bytes.length; at += 97) stream.feed(bytes.subarray(at, at + 97));
    const n = fixtureLines('stopped-resumed.jsonl').length;
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(stream.metrics.eventCount).toBe(n);
  });

  it('reports the biggest change in a chunk', () => {
    const lines = fixtureLines('finished-run.jsonl');
    const stream = new MetricsStream();
    const step = lines.find((l) => l.includes('"type": "step"'))!;
    const epoch = lines.find((l) => l.includes('"type": "epoch"'))!;
    expect(stream.feed(Buffer.from(`${step}\n`))).toBe('progress');
    expect(stream.feed(Buffer.from(`${step}\n${epoch}\n${step}\n`))).toBe('status');
    expect(stream.feed(Buffer.from('junk\n'))).toBe('none');
  });
});

describe('loadMetrics + FileFollower', () => {
  it('rebuilds from the file, then follows appends from where it stopped: no line lost or repeated', async () => {
    const file = path.join(dir, 'metrics.jsonl');
    const lines = fixtureLines('finished-run.jsonl');
    // The writer is mid-line when the reader loads the file.
    const firstPart = `${lines.slice(0, 20).join('\n')}\n${lines[20]!.slice(0, 15)}`;
    fs.writeFileSync(file, firstPart);
    const { stream, offset } = await loadMetrics(file);
    expect(stream.metrics.eventCount).toBe(20);
    expect(stream.hasPartialLine).toBe(true);
    const seen: Array<[number, TrainerEvent['type']]> = [];
    stream.listener = (index, event) => seen.push([index, event.type]);
    const follower = new FileFollower(file, { offset, pollMs: 20, onData: (chunk) => stream.feed(chunk) });
    follower.start();
    const rest = `${lines[20]!.slice(15)}\n${lines.slice(21).join('\n')}\n`;
    for (let at = 0; at < rest.length; at += 500) fs.appendFileSync(file, rest.slice(at, at + 500));
    await waitFor(() => stream.metrics.eventCount === lines.length, 5000, 'all lines');
    await follower.stop();
    expect(seen.map(([i]) => i)).toEqual(Array.from({ length: lines.length - 20 }, (_, i) => i + 20));
    expect(stream.metrics.finished).not.toBeNull();
    expect(follower.offset).toBe(fs.statSync(file).size);
  });

  it('waits for a file that does not exist yet', async () => {
    const file = path.join(dir, 'later.jsonl');
    const stream = new MetricsStream();
    const follower = new FileFollower(file, { offset: 0, pollMs: 20, onData: (chunk) => stream.feed(chunk) });
    follower.start();
    await new Promise((resolve) => setTimeout(resolve, 60));
    fs.writeFileSync(file, `${fixtureLines('finished-run.jsonl')[0]}\n`);
    await waitFor(() => stream.metrics.eventCount === 1, 5000, 'the first line');
    await follower.stop();
  });

  it('a missing file has no events', async () => {
    const { stream, offset } = await loadMetrics(path.join(dir, 'none.jsonl'));
    expect(stream.metrics.eventCount).toBe(0);
    expect(offset).toBe(0);
  });
});

describe('endWithNewline', () => {
  it('closes a line cut short by a dead writer, once, and leaves a complete file alone', async () => {
    const file = path.join(dir, 'metrics.jsonl');
    fs.writeFileSync(file, '{"a":1}\n{"b":');
    await endWithNewline(file);
    await endWithNewline(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":\n');
    fs.writeFileSync(file, '');
    await endWithNewline(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    await endWithNewline(path.join(dir, 'missing'));
  });
});
