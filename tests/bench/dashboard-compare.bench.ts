/**
 * Comparison-view benchmark (npm run bench -- dashboard-compare; also run by `-- dashboard`): renders
 * the real CompareView in Chromium with 10 runs of 100 epochs (20,000 steps each) and measures the
 * first render (until every run's lines are painted) and the interactions — choosing another baseline
 * (re-marks every setting, metric and per-class difference) and switching the charts between epochs
 * and time — from the click to the painted frame after it. Two modes in the same browser:
 *   shipped  the steps as runs.compare sends them (LTTB, 400 a run)
 *   naive    every step sent and drawn (200,000 points in the training-loss chart): the baseline
 * Prints `BENCH {json}` lines for bench-results.json.
 *
 * Env: COMPARE_BENCH_ROUNDS (interactions of each kind per mode, default 20).
 */
import os from 'node:os';
import type { Browser } from 'playwright-core';
import { buildBenchPage, launchBenchChromium, round1 } from './browser-bench';

type Mode = 'shipped' | 'naive';
const ROUNDS = Number(process.env.COMPARE_BENCH_ROUNDS ?? 20);
const NAMES: Record<Mode, string> = { shipped: 'compare-10-runs', naive: 'compare-10-runs-naive-baseline' };
const TARGET_MS = 100; // an interaction answered within 100 ms feels immediate

type BenchWindow = { bench: { loadMs: number | null; interact(kind: string, index: number): Promise<number> } };

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN };
}

async function measure(browser: Browser, url: string, mode: Mode) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    const load = os.loadavg()[0]!;
    await page.goto(`${url}#mode=${mode}`);
    await page.waitForFunction(() => (globalThis as unknown as BenchWindow).bench?.loadMs != null, null, {
      timeout: 600_000,
      polling: 200,
    });
    const loadMs = await page.evaluate(() => (globalThis as unknown as BenchWindow).bench.loadMs!);
    // The renderer's main-thread CPU time (Chromium's ThreadTime metric) beside the wall time: what an
    // interaction costs when no other process competes for the cores.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const threadMs = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN) * 1000;
    };
    const wall = { baseline: [] as number[], axis: [] as number[] };
    const cpu = { baseline: [] as number[], axis: [] as number[] };
    for (let i = 1; i <= ROUNDS; i++) {
      for (const kind of ['baseline', 'axis'] as const) {
        const before = await threadMs();
        wall[kind].push(
          await page.evaluate(({ k, n }) => (globalThis as unknown as BenchWindow).bench.interact(k, n), {
            k: kind as string,
            n: i,
          }),
        );
        cpu[kind].push((await threadMs()) - before);
      }
    }
    return {
      mode,
      loadMs,
      baseline: stats(wall.baseline),
      axis: stats(wall.axis),
      baselineCpu: stats(cpu.baseline),
      axisCpu: stats(cpu.axis),
      load: (load + os.loadavg()[0]!) / 2,
    };
  } finally {
    await page.close();
  }
}

const round = round1;
const url = await buildBenchPage('tests/bench/compare-page/main.tsx', 'Compare benchmark');
const browser = await launchBenchChromium();
try {
  for (const mode of ['shipped', 'naive'] as const) {
    const r = await measure(browser, url, mode);
    console.log(
      `${mode}: first render ${round(r.loadMs)} ms; baseline switch p50 ${round(r.baseline.p50)} / p95 ${round(r.baseline.p95)} / ` +
        `max ${round(r.baseline.max)} ms; epochs⇄time p50 ${round(r.axis.p50)} / p95 ${round(r.axis.p95)} / max ${round(r.axis.max)} ms ` +
        `; CPU p50/p95 baseline ${round(r.baselineCpu.p50)} / ${round(r.baselineCpu.p95)} ms, epochs⇄time ` +
        `${round(r.axisCpu.p50)} / ${round(r.axisCpu.p95)} ms (load average ${r.load.toFixed(1)} on ${os.cpus().length} CPUs)` +
        (mode === 'shipped'
          ? `; target ${TARGET_MS} ms (CPU p95): ${Math.max(r.baselineCpu.p95, r.axisCpu.p95) < TARGET_MS ? 'met' : 'NOT met'}`
          : ''),
    );
    console.log(
      'BENCH ' +
        JSON.stringify({
          name: NAMES[mode],
          runs: 10,
          epochs: 100,
          stepsPerRun: 20000,
          firstRenderMs: round(r.loadMs),
          p50BaselineSwitchMs: round(r.baseline.p50),
          p95BaselineSwitchMs: round(r.baseline.p95),
          maxBaselineSwitchMs: round(r.baseline.max),
          p50AxisSwitchMs: round(r.axis.p50),
          p95AxisSwitchMs: round(r.axis.p95),
          maxAxisSwitchMs: round(r.axis.max),
          p50BaselineSwitchCpuMs: round(r.baselineCpu.p50),
          p95BaselineSwitchCpuMs: round(r.baselineCpu.p95),
          p50AxisSwitchCpuMs: round(r.axisCpu.p50),
          p95AxisSwitchCpuMs: round(r.axisCpu.p95),
          rounds: ROUNDS,
          loadAverage: Math.round(r.load * 10) / 10,
        }),
    );
  }
} finally {
  await browser.close();
}
