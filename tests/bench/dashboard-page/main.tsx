import { createRoot } from 'react-dom/client';
import { setApi } from '../../../renderer/src/api/api';
import { setChartTuning } from '../../../renderer/src/charts/chart-tuning';
import { RunDashboard } from '../../../renderer/src/runs/RunDashboard';
import '../../../renderer/src/styles.css';
import { createBenchRun } from './bench-run';

/**
 * The benchmark page: the real RunDashboard, in the app's frame, fed by an in-memory API.
 * `#mode=shipped` (default) as users get it; `#mode=lines`: recharts <Line> elements fed the
 * downsampled series; `#mode=naive`: recharts <Line> elements fed every point (no downsampling).
 * `#theme=dark` for screenshots.
 * The Node side (dashboard.bench.ts) reads `window.bench`.
 */
interface BenchWindow {
  bench: {
    mode: string;
    loadMs: number | null;
    startLive(eventsPerSecond: number, seconds: number): void;
    done: boolean;
    frameDeltas: number[];
    eventsSent: number;
  };
}

const params = new URLSearchParams(location.hash.slice(1));
const mode = params.get('mode') ?? 'shipped';
document.documentElement.dataset.theme = params.get('theme') ?? 'light';
if (mode === 'lines') setChartTuning({ drawing: 'line' });
if (mode === 'naive') setChartTuning({ drawing: 'line', downsample: false });

const run = createBenchRun();
setApi(run.api);
const state: BenchWindow['bench'] = {
  mode,
  loadMs: null,
  done: false,
  frameDeltas: [],
  eventsSent: 0,
  startLive(eventsPerSecond, seconds) {
    const stop = run.startLive(eventsPerSecond);
    const end = performance.now() + seconds * 1000;
    let last = performance.now();
    const frame = (now: number) => {
      state.frameDeltas.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(frame);
      else {
        stop();
        state.eventsSent = run.eventsSent();
        state.done = true;
      }
    };
    requestAnimationFrame(frame);
  },
};
(window as unknown as BenchWindow).bench = state;

const started = performance.now();
createRoot(document.getElementById('root')!).render(
  <div className="app">
    <header className="topbar">
      <span className="brand">DeiT Studio</span>
    </header>
    <nav className="sidebar" aria-label="Steps" />
    <main id="main" className="content">
      <RunDashboard runId={run.runId} />
    </main>
  </div>,
);

// Loaded = every chart line drawn (7 training lines, 4 GPU lines).
const waitDrawn = () => {
  const drawn = document.querySelectorAll('.run-chart-lines path[d^="M"], .recharts-line-curve').length;
  if (drawn >= 11) state.loadMs = performance.now() - started;
  else requestAnimationFrame(waitDrawn);
};
requestAnimationFrame(waitDrawn);
