// Scans a generated dataset of 100,000 tiny real images (100 classes × 1,000; PNG and JPEG, each file
// distinct) and measures how long it takes and how long the event loop was ever blocked: the figure
// that says whether the UI (IPC, serve-mode HTTP) stays responsive during a scan.
// Run: npm run bench -- dataset-scan   (IMAGES=20000 npm run bench -- dataset-scan for a quicker run)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { scanDataset, SCAN_CONCURRENCY } from '../../electron/core/dataset/scan/scan-dataset';
import { fixture, makePng, withJpegComment, withPngText } from '../unit/core/dataset/dataset-files';

const IMAGES = Number(process.env.IMAGES ?? 100_000);
const CLASSES = 100;

/** Writes the dataset: every 10th image a JPEG, the rest PNGs of a few sizes, each made unique by a comment. */
async function generate(root: string): Promise<void> {
  const pngs = [makePng(64, 64, 1), makePng(96, 72, 2), makePng(48, 48, 3)];
  const jpeg = fixture('baseline-80x60.jpg');
  for (let c = 0; c < CLASSES; c++) await fs.mkdir(path.join(root, `class ${String(c).padStart(3, '0')}`));
  let next = 0;
  const writer = async () => {
    while (next < IMAGES) {
      const i = next++;
      const dir = path.join(root, `class ${String(i % CLASSES).padStart(3, '0')}`);
      const bytes = i % 10 === 0 ? withJpegComment(jpeg, `image ${i}`) : withPngText(pngs[i % 3]!, `image ${i}`);
      await fs.writeFile(path.join(dir, `img_${i}${i % 10 === 0 ? '.jpg' : '.png'}`), bytes);
    }
  };
  await Promise.all(Array.from({ length: 32 }, writer));
}

/**
 * The machine's own floor for the lag figure, measured the same way over 3 s: doing nothing, or doing
 * 1 ms slices of CPU work back to back (what any busy process sees when other work shares the cores).
 */
async function noiseFloor(busy: boolean) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const end = performance.now() + 3000;
  while (performance.now() < end) {
    if (busy) for (const start = performance.now(); performance.now() - start < 1;);
    await new Promise((resolve) => (busy ? setImmediate(resolve) : setTimeout(resolve, 50)));
  }
  histogram.disable();
  return histogram;
}

async function main(): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-bench-dataset-'));
  try {
    let t = performance.now();
    await generate(root);
    console.log(`generated ${IMAGES} images in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const idle = await noiseFloor(false);
    const busy = await noiseFloor(true);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    let events = 0;
    lag.enable();
    t = performance.now();
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    const scan = await scanDataset(root, { valRatio: 0.2, onProgress: () => (events += 1) });
    const seconds = (performance.now() - t) / 1000;
    const cpuUsed = process.cpuUsage(cpu);
    const loopBusy = performance.eventLoopUtilization(elu).utilization;
    lag.disable();
    if (scan.totalImages !== IMAGES || scan.skippedTotal !== 0) {
      throw new Error(`expected ${IMAGES} images and none skipped, got ${scan.totalImages} and ${scan.skippedTotal}`);
    }
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    const result = {
      name: 'dataset-scan',
      images: IMAGES,
      seconds: Math.round(seconds * 100) / 100,
      imagesPerS: Math.round(IMAGES / seconds),
      maxEventLoopLagMs: ms(lag.max),
      p99EventLoopLagMs: ms(lag.percentile(99)),
      idleMaxEventLoopLagMs: ms(idle.max),
      busyBaselineMaxEventLoopLagMs: ms(busy.max),
      // CPU time of the whole process (main thread and libuv's file threads): stable under load, unlike seconds.
      cpuSeconds: Math.round((cpuUsed.user + cpuUsed.system) / 1e4) / 100,
      eventLoopUtilization: Math.round(loopBusy * 100) / 100,
      progressEvents: events,
      concurrency: SCAN_CONCURRENCY,
      cpus: os.cpus().length,
      loadAverage1m: Math.round(os.loadavg()[0]! * 10) / 10,
    };
    console.log(`scanned ${IMAGES} images in ${result.seconds} s (${result.imagesPerS}/s), ${events} progress events`);
    console.log(
      `event loop lag: max ${result.maxEventLoopLagMs} ms, p99 ${result.p99EventLoopLagMs} ms (machine floor: idle ${result.idleMaxEventLoopLagMs} ms, busy ${result.busyBaselineMaxEventLoopLagMs} ms)`,
    );
    console.log(`BENCH ${JSON.stringify(result)}`);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

await main();
