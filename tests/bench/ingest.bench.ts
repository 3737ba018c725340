// Event-stream ingestion, end to end as the app does it: a separate writer process appends trainer
// events to metrics.jsonl; the app follows the file, splits lines, validates each event against the
// contract (zod), reduces it into the run's metrics, publishes run.event / run.updated on the bus,
// and persists state.json (atomically) on status changes. Prints `BENCH {...}` for docs/benchmarks.md.
// Baseline: reading the same file at once and JSON.parse-ing each line (no follow, validation,
// reduction or persistence). Target: ≥ 20,000 lines/s on a 2-core machine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunSettings } from '../../electron/contract';
import { EventBus } from '../../electron/core/event-bus';
import { LiveRun } from '../../electron/core/runs/lifecycle/live-run';
import { MetricsStream } from '../../electron/core/runs/ingest/metrics-stream';
import { RunFolder } from '../../electron/core/runs/folder/run-folder';
import { initialRunState } from '../../electron/core/runs/folder/run-files';
import { parseEventLine } from '../../electron/core/runs/ingest/event-line';

const LINES = Number(process.env.INGEST_LINES ?? 200_000);
const STEPS_PER_EPOCH = 200;

function eventLines(n: number): string[] {
  const lines: string[] = [];
  let seq = 0;
  const t0 = 1767225600;
  lines.push(
    JSON.stringify({
      v: 1,
      seq: seq++,
      time: t0,
      type: 'run_started',
      run_id: 'bench',
      resumed: false,
      start_epoch: 1,
      epochs: Math.ceil(n / STEPS_PER_EPOCH),
      steps_per_epoch: STEPS_PER_EPOCH,
      total_steps: n,
      batch_size: 256,
      model: 'deit_small_patch16_224',
      img_size: 224,
      precision: 'bf16',
      compile: true,
      versions: { python: '3.11', torch: '2.6.0', timm: '1.0.29', cuda: '12.4' },
      device: { kind: 'cuda', name: 'NVIDIA H100', count: 1, memory_bytes: 85e9 },
      dataset: {
        root: '/data',
        layout: 'class-folders',
        classes: ['a', 'b', 'c'],
        train_count: 1000,
        val_count: 200,
        skipped_count: 0,
      },
    }),
  );
  let global = 0;
  while (lines.length < n) {
    global += 1;
    const epoch = Math.ceil(global / STEPS_PER_EPOCH);
    const step = ((global - 1) % STEPS_PER_EPOCH) + 1;
    lines.push(
      JSON.stringify({
        v: 1,
        seq: seq++,
        time: t0 + global * 0.03,
        type: 'step',
        epoch,
        step,
        steps_per_epoch: STEPS_PER_EPOCH,
        global_step: global,
        total_steps: n,
        loss: 2 / Math.sqrt(global),
        lr: 1e-4,
        img_per_s: 7754.2,
        eta_s: n - global,
      }),
    );
    if (step === STEPS_PER_EPOCH && lines.length < n) {
      lines.push(
        JSON.stringify({
          v: 1,
          seq: seq++,
          time: t0 + global * 0.03,
          type: 'epoch',
          epoch,
          epochs: Math.ceil(n / STEPS_PER_EPOCH),
          train_loss: 0.5,
          val_loss: 0.4,
          val_top1: 0.8 + epoch * 1e-4,
          val_top5: 1,
          per_class_acc: { a: 0.8, b: 0.9, c: null },
          lr: 1e-4,
          duration_s: 6,
          img_per_s: 7754.2,
          is_best: true,
        }),
      );
    }
  }
  return lines.slice(0, n);
}

async function followed(dir: string, text: string): Promise<number> {
  const folder = new RunFolder(dir, 'run');
  fs.mkdirSync(folder.outputDir, { recursive: true }); // the trainer's files are in output/
  const source = path.join(dir, 'source.jsonl');
  fs.writeFileSync(source, text);
  const bus = new EventBus();
  let events = 0;
  bus.on('run.event', () => (events += 1));
  bus.on('run.updated', () => undefined);
  const settings = RunSettings.parse({ datasetPath: dir, modelId: 'deit_small_patch16_224' });
  const record = {
    version: 1 as const,
    id: 'run',
    name: 'bench',
    createdAt: new Date().toISOString(),
    settings,
    image: null,
  };
  const live = new LiveRun(
    folder,
    record,
    { ...initialRunState(), status: 'running' },
    new MetricsStream(),
    0,
    {
      updated: (summary) => bus.emit('run.updated', summary),
      event: (runId, index, event) => bus.emit('run.event', { runId, index, event }),
      log: () => undefined,
    },
    () => new Date(),
  );
  const started = process.hrtime.bigint();
  // The writer: another process appending chunks of lines, like the trainer (flushed per write).
  const writer = spawn(
    process.execPath,
    [
      '-e',
      `const fs=require('fs');const src=fs.readFileSync(process.argv[1],'utf8');const fd=fs.openSync(process.argv[2],'a');` +
        `let at=0;while(at<src.length){let end=src.indexOf('\\n',at+65536);end=end<0?src.length:end+1;fs.writeSync(fd,src.slice(at,end));at=end;}fs.closeSync(fd);`,
      source,
      folder.metrics,
    ],
    { stdio: 'inherit' },
  );
  await live.follow(20, 0);
  await new Promise<void>((resolve) => writer.on('exit', () => resolve()));
  while (live.stream.metrics.eventCount < LINES) await new Promise((resolve) => setTimeout(resolve, 5));
  await live.detach();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (events !== LINES) throw new Error(`expected ${LINES} run.event, got ${events}`);
  if (!fs.existsSync(folder.stateJson)) throw new Error('state.json was not persisted');
  return seconds;
}

function baseline(dir: string, text: string): number {
  const file = path.join(dir, 'baseline.jsonl');
  fs.writeFileSync(file, text);
  const started = process.hrtime.bigint();
  let n = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) if (line) n += JSON.parse(line) ? 1 : 0;
  if (n !== LINES) throw new Error('baseline miscounted');
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function parseOnly(lines: string[]): number {
  const started = process.hrtime.bigint();
  for (const line of lines) if (parseEventLine(line).kind !== 'event') throw new Error(`invalid: ${line}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-runs-test-bench-'));
try {
  const lines = eventLines(LINES);
  const text = `${lines.join('\n')}\n`;
  const mb = Buffer.byteLength(text) / 2 ** 20;
  baseline(dir, text); // warm-up
  const base = baseline(dir, text);
  const validate = parseOnly(lines);
  const runs = [await followed(path.join(dir, 'a'), text), await followed(path.join(dir, 'b'), text)];
  const best = Math.min(...runs);
  const linesPerS = Math.round(LINES / best);
  console.log(
    `${LINES} lines (${mb.toFixed(1)} MiB), ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), Node ${process.version}`,
  );
  console.log(
    `  followed → parsed → validated → reduced → published → persisted: ${linesPerS.toLocaleString()} lines/s (best of ${runs.length}: ${runs.map((s) => s.toFixed(2)).join(', ')} s)`,
  );
  console.log(`  parse + validate only (parseEventLine):  ${Math.round(LINES / validate).toLocaleString()} lines/s`);
  console.log(`  baseline, read whole file + JSON.parse:  ${Math.round(LINES / base).toLocaleString()} lines/s`);
  console.log(
    `BENCH ${JSON.stringify({
      name: 'ingest',
      linesPerS,
      lines: LINES,
      parseValidateLinesPerS: Math.round(LINES / validate),
      baselineJsonParseLinesPerS: Math.round(LINES / base),
      targetLinesPerS: 20000,
    })}`,
  );
  if (linesPerS < 20_000) {
    console.error(`ingest is below the 20,000 lines/s target`);
    process.exitCode = 1;
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
