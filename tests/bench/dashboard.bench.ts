/**
 * Dashboard benchmark (npm run bench -- dashboard): renders the real RunDashboard in Chromium fed a
 * 100-epoch run with 200,000 step points and 8 hours of 1 Hz GPU samples, then streams 10 trainer
 * events a second (plus a GPU sample and a log line each second) and measures, from a Chromium
 * performance trace, how long each frame that carries dashboard work keeps the main thread busy:
 * the task that runs a coalesced store update or a chart redraw (React render + commit + recharts)
 * plus the style/layout/paint of that frame; wall time, and thread CPU time (what it costs without
 * other processes competing for the cores). Three modes in the same browser:
 *   shipped  as users get it (coalescing, LTTB, lines drawn as paths with recharts' scales)
 *   lines    the same, but recharts <Line> elements (the textbook recharts set-up with LTTB)
 *   naive    recharts <Line> elements fed every point (no downsampling): the baseline
 * Prints `BENCH {json}` lines for bench-results.json.
 *
 * Env: DASHBOARD_BENCH_SECONDS (live seconds per mode, default 20), DASHBOARD_BENCH_MODES
 * ('shipped,lines,naive'), DASHBOARD_BENCH_SCREENSHOTS (a folder: screenshots of the dashboard,
 * light and dark, 1280×800 and 1024×700).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildBenchPage, launchBenchChromium, round1 } from './browser-bench';
import { analyseTrace, summarise, type UpdateTimes } from './dashboard-page/trace-analysis';

type Mode = 'shipped' | 'lines' | 'naive';
const LIVE_SECONDS = Number(process.env.DASHBOARD_BENCH_SECONDS ?? 20);
const MODES = (process.env.DASHBOARD_BENCH_MODES ?? 'shipped,lines,naive').split(',') as Mode[];
const SCREENSHOTS = process.env.DASHBOARD_BENCH_SCREENSHOTS;
const EVENTS_PER_SECOND = 10;
const TARGET_MS = 16;
const NAMES: Record<Mode, string> = {
  shipped: 'dashboard',
  lines: 'dashboard-recharts-lines',
  naive: 'dashboard-naive-baseline',
};
const TITLES: Record<Mode, string> = {
  shipped: 'as shipped (coalesced, LTTB, paths on recharts scales)',
  lines: 'recharts <Line> + LTTB + coalescing',
  naive: 'naive baseline (recharts <Line>, no downsampling)',
};

interface ModeResult {
  mode: Mode;
  loadMs: number;
  updates: UpdateTimes;
  frames: { p95: number; max: number; over50: number };
  eventsSent: number;
  load: number;
}

// The page's `window.bench` (see dashboard-page/main.tsx), seen from here.
type BenchWindow = {
  bench: {
    loadMs: number | null;
    done: boolean;
    frameDeltas: number[];
    eventsSent: number;
    startLive(e: number, s: number): void;
  };
};

async function measure(browser: Browser, url: string, mode: Mode): Promise<ModeResult> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(`${url}#mode=${mode}`);
    await page.waitForFunction(() => (globalThis as unknown as BenchWindow).bench?.loadMs != null, null, {
      timeout: 900_000,
      polling: 500,
    });
    const loadMs = await page.evaluate(() => (globalThis as unknown as BenchWindow).bench.loadMs!);
    await page.waitForTimeout(1000); // let the first paint settle before measuring updates
    const load = os.loadavg()[0]!;
    await browser.startTracing(page, {
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'],
    });
    await page.evaluate(
      ([eps, s]) => (globalThis as unknown as BenchWindow).bench.startLive(eps!, s!),
      [EVENTS_PER_SECOND, LIVE_SECONDS],
    );
    await page.waitForFunction(() => (globalThis as unknown as BenchWindow).bench.done, null, {
      timeout: (LIVE_SECONDS + 900) * 1000,
      polling: 500,
    });
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
    const { frameDeltas, eventsSent } = await page.evaluate(() => (globalThis as unknown as BenchWindow).bench);
    const deltas = frameDeltas.slice(1);
    const frames = summarise(deltas);
    return {
      mode,
      loadMs,
      updates: analyseTrace(trace),
      frames: { p95: frames.p95, max: frames.max, over50: deltas.filter((d) => d > 50).length },
      eventsSent,
      load: (load + os.loadavg()[0]!) / 2,
    };
  } finally {
    await page.close();
  }
}

async function screenshots(browser: Browser, url: string, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  for (const [w, h] of [
    [1280, 800],
    [1024, 700],
  ] as const) {
    for (const theme of ['light', 'dark']) {
      const page = await browser.newPage({ viewport: { width: w, height: h } });
      await page.goto(`${url}#theme=${theme}`);
      await page.waitForFunction(() => (globalThis as unknown as BenchWindow).bench?.loadMs != null, null, {
        timeout: 120_000,
      });
      await page.screenshot({ path: path.join(dir, `dashboard-${w}x${h}-${theme}.png`), fullPage: true });
      await page.close();
    }
  }
}

const round = round1;

const url = await buildBenchPage('tests/bench/dashboard-page/main.tsx', 'Dashboard benchmark');
const browser = await launchBenchChromium();
try {
  if (SCREENSHOTS) await screenshots(browser, url, SCREENSHOTS);
  const results: ModeResult[] = [];
  for (const mode of MODES) {
    const r = await measure(browser, url, mode);
    results.push(r);
    const u = r.updates;
    console.log(
      `${TITLES[mode]}:\n` +
        `  first render ${round(r.loadMs)} ms; ${r.eventsSent} events in ${LIVE_SECONDS} s → ${u.flushes} store updates + ` +
        `${u.draws} chart redraws in ${u.count} frames (load average ${r.load.toFixed(1)} on ${os.cpus().length} CPUs)\n` +
        `  per frame with dashboard work (task + layout/paint): wall p50 ${round(u.total.p50)} / p95 ${round(u.total.p95)} / ` +
        `max ${round(u.total.max)} ms; CPU p50 ${round(u.cpu.p50)} / p95 ${round(u.cpu.p95)} / max ${round(u.cpu.max)} ms\n` +
        `  frame interval p95 ${round(r.frames.p95)} ms, max ${round(r.frames.max)} ms, ${r.frames.over50} frames over 50 ms`,
    );
  }
  for (const r of results) {
    console.log(
      'BENCH ' +
        JSON.stringify({
          name: NAMES[r.mode],
          p50UpdateMs: round(r.updates.total.p50),
          p95UpdateMs: round(r.updates.total.p95),
          maxUpdateMs: round(r.updates.total.max),
          p50UpdateCpuMs: round(r.updates.cpu.p50),
          p95UpdateCpuMs: round(r.updates.cpu.p95),
          maxUpdateCpuMs: round(r.updates.cpu.max),
          storeUpdates: r.updates.flushes,
          chartRedraws: r.updates.draws,
          eventsSent: r.eventsSent,
          eventsPerSecond: EVENTS_PER_SECOND,
          liveSeconds: LIVE_SECONDS,
          firstRenderMs: round(r.loadMs),
          p95FrameIntervalMs: round(r.frames.p95),
          framesOver50Ms: r.frames.over50,
          loadAverage: Math.round(r.load * 10) / 10,
          points: 200000,
          gpuSamples: 8 * 3600,
        }),
    );
  }
  const shipped = results.find((r) => r.mode === 'shipped');
  if (shipped) {
    const { total, cpu } = shipped.updates;
    console.log(
      `Target (updates under ${TARGET_MS} ms at ${EVENTS_PER_SECOND} events/s): p95 wall ${round(total.p95)} ms ` +
        `${total.p95 < TARGET_MS ? 'met' : 'NOT met'}, p95 CPU ${round(cpu.p95)} ms ${cpu.p95 < TARGET_MS ? 'met' : 'NOT met'}.`,
    );
  }
} finally {
  await browser.close();
}
