import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import type { GpuSample } from '../../contract';
import type { NvidiaSmi } from '../environment/nvidia-smi';
import type { EventBus } from '../event-bus';
import { DEFAULT_WARNING_LIMITS, GpuWarningTracker, type WarningLimits } from './gpu-warnings';
import { parseTelemetryLine, TELEMETRY_FIELDS, type TelemetryLine } from './parse-gpu-query';
import { SampleRing } from './sample-ring';

/** What the telemetry stream needs; tests pass a fake nvidia-smi on PATH and short intervals. */
export interface GpuTelemetryOptions {
  bus: EventBus;
  smi: NvidiaSmi;
  /** Sampling interval of `nvidia-smi -lms`. */
  intervalMs?: number;
  /** Samples kept for `telemetry.recent` (3600 = one hour at 1 Hz). */
  capacity?: number;
  now?: () => number;
  /** Waits before restarting a stream that died; the last one repeats. */
  restartDelaysMs?: readonly number[];
  limits?: WarningLimits;
}

/** stopped: not started or closed; streaming: samples arrive; restarting: waiting to try again; unavailable: no usable nvidia-smi. */
export type TelemetryState = 'stopped' | 'streaming' | 'restarting' | 'unavailable';

const DEFAULT_DELAYS = [1000, 2000, 5000, 15_000, 60_000];

/**
 * GPU telemetry while the app is open: one long-lived `nvidia-smi --query-gpu=… -lms 1000` child
 * (not one process per second, and not systeminformation's blocking call), parsed line by line,
 * grouped into one `GpuSample` per tick, pushed as `gpu.sample` events and kept in a ring buffer.
 * A stream that dies is restarted with backoff; without nvidia-smi it stays silent.
 */
export class GpuTelemetry {
  private readonly ring: SampleRing<GpuSample>;
  private readonly warnings: GpuWarningTracker;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly delays: readonly number[];
  private child: ChildProcessWithoutNullStreams | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private pending: TelemetryLine[] = [];
  private failures = 0;
  private sawSample = false;
  private current: TelemetryState = 'stopped';
  private running = false;

  constructor(private readonly options: GpuTelemetryOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.ring = new SampleRing(options.capacity ?? 3600);
    this.warnings = new GpuWarningTracker(options.limits ?? DEFAULT_WARNING_LIMITS);
    this.now = options.now ?? Date.now;
    this.delays = options.restartDelaysMs ?? DEFAULT_DELAYS;
  }

  /** Where the stream stands (for tests and diagnostics). */
  get state(): TelemetryState {
    return this.current;
  }

  /** Starts streaming; a no-op when already started. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.launch();
  }

  /** Samples of the last `seconds`, oldest first. */
  recent(seconds: number): GpuSample[] {
    return this.ring.since(this.now() - seconds * 1000);
  }

  /** Stops the stream and waits for the child to exit. */
  async stop(): Promise<void> {
    this.running = false;
    this.current = 'stopped';
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.flush();
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private async launch(): Promise<void> {
    const args = [
      `--query-gpu=${TELEMETRY_FIELDS.join(',')}`,
      '--format=csv,noheader,nounits',
      '-lms',
      String(this.intervalMs),
    ];
    const child = await this.options.smi.spawnStream(args);
    if (!this.running) {
      child?.kill('SIGTERM');
      return;
    }
    if (!child) {
      this.current = 'unavailable'; // no nvidia-smi: no GPU to watch, and nothing to report
      return;
    }
    this.child = child;
    this.current = 'streaming';
    this.sawSample = false;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    let stdout = '';
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (stdout.length < 2000) stdout += `${line}\n`;
      this.onLine(line);
    });
    child.once('close', (code) => this.onExit(child, code, `${stdout}${stderr}`));
  }

  private onLine(line: string): void {
    const parsed = parseTelemetryLine(line);
    if (!parsed) return;
    // A GPU index seen again starts the next tick; a quiet moment ends the current one.
    if (this.pending.some((p) => p.reading.index === parsed.reading.index)) this.flush();
    this.pending.push(parsed);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => this.flush(), Math.min(200, Math.max(50, this.intervalMs / 2)));
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.length === 0) return;
    const lines = this.pending.sort((a, b) => a.reading.index - b.reading.index);
    this.pending = [];
    const sample: GpuSample = { time: this.now(), gpus: lines.map((l) => l.reading) };
    this.sawSample = true;
    this.failures = 0;
    this.ring.push(sample);
    this.options.bus.emit('gpu.sample', sample);
    for (const warning of this.warnings.update(lines)) this.options.bus.emit('gpu.warning', warning);
  }

  private onExit(child: ChildProcessWithoutNullStreams, code: number | null, output: string): void {
    if (this.child !== child) return; // stopped on purpose
    this.child = null;
    this.flush();
    if (!this.running) return;
    // Driver not loaded (exit 9), no GPU (6) or a query this driver does not know (2): retrying will not help.
    const hopeless =
      !this.sawSample &&
      (code === 9 ||
        code === 6 ||
        code === 2 ||
        /couldn't communicate|No devices were found|not a valid field/i.test(output));
    if (hopeless) {
      this.current = 'unavailable';
      return;
    }
    const delay = this.delays[Math.min(this.failures, this.delays.length - 1)] ?? 60_000;
    this.failures += 1;
    this.current = 'restarting';
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.running) void this.launch();
    }, delay);
  }
}
