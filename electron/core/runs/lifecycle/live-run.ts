import type Dockerode from 'dockerode';
import type { RunStatus, RunSummary, TrainerEvent } from '../../../contract';
import { FileFollower } from '../ingest/file-follower';
import { CAPS } from '../folder/container-file';
import { LineSplitter } from '../../line-splitter';
import type { MetricsStream } from '../ingest/metrics-stream';
import type { RunFolder } from '../folder/run-folder';
import type { RunRecordFile, RunStateFile } from '../folder/run-files';
import { epochsDone } from '../ingest/run-metrics';
import { buildRunSummary } from '../history/run-summary';

/** Where a live run sends what it learns (the event bus, in the app). */
export interface RunPublisher {
  updated(summary: RunSummary): void;
  event(runId: string, index: number, event: TrainerEvent): void;
  log(runId: string, lines: string[]): void;
}

/** Progress updates of one run reach the UI at most this often; status changes go out at once. */
export const PROGRESS_INTERVAL_MS = 1000;

/**
 * A run the app is managing now (queued, preparing, running or stopping): its files, its metrics
 * rebuilt from metrics.jsonl and kept current by following the file, and throttled updates.
 */
export class LiveRun {
  container: Dockerode.Container | null = null;
  /** The weights-fetch container while one runs (killed when the user stops). */
  helper: Dockerode.Container | null = null;
  stopTimer: NodeJS.Timeout | null = null;
  private metricsFollower: FileFollower | null = null;
  private logFollower: FileFollower | null = null;
  private lastUpdate = 0;
  private trailing: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly folder: RunFolder,
    public record: RunRecordFile,
    public state: RunStateFile,
    readonly stream: MetricsStream,
    /** Bytes of metrics.jsonl already fed to `stream`. */
    private metricsOffset: number,
    private readonly publisher: RunPublisher,
    private readonly now: () => Date,
  ) {
    stream.listener = (index, event) => publisher.event(record.id, index, event);
  }

  get id(): string {
    return this.record.id;
  }

  summary(): RunSummary {
    return buildRunSummary(this.record, this.state, this.stream.metrics, this.now());
  }

  /** Sends lines to the run's log view (e.g. the weights download). */
  log(lines: string[]): void {
    this.publisher.log(this.id, lines);
  }

  /** Changes the lifecycle state, saves state.json and (unless `publish` is false) tells the UI at once. */
  async update(patch: Partial<RunStateFile>, publish = true): Promise<void> {
    this.state = { ...this.state, ...patch };
    await this.save();
    if (publish) this.publishNow();
  }

  /** Tells the UI the current summary now. */
  announce(): void {
    this.publishNow();
  }

  /** Sets the status (and anything else) in one step. */
  setStatus(status: RunStatus, patch: Partial<RunStateFile> = {}): Promise<void> {
    return this.update({ ...patch, status });
  }

  /** Writes state.json with the current cached metrics; writes happen in order. */
  save(): Promise<void> {
    const snapshot: RunStateFile = {
      ...this.state,
      epochsDone: epochsDone(this.stream.metrics),
      bestValTop1: this.stream.metrics.bestValTop1,
    };
    this.state = snapshot;
    this.saving = this.saving.then(() => this.folder.writeState(snapshot)).catch(() => undefined);
    return this.saving;
  }

  /** Starts following metrics.jsonl (from where the stream stopped) and train.log (from its end). */
  async follow(pollMs: number, logOffset: number): Promise<void> {
    if (this.metricsFollower) return;
    // Written by the container: read like every such file (container-file.ts), up to a total cap.
    const within = this.folder.trainerDir;
    this.metricsFollower = new FileFollower(this.folder.metrics, {
      offset: this.metricsOffset,
      pollMs,
      within,
      maxBytes: CAPS.metrics,
      onLimit: () => this.stream.tooLarge(),
      onRefused: (error) => this.stream.refused(error),
      onData: (chunk) => this.onMetrics(this.stream.feed(chunk)),
    });
    const splitter = new LineSplitter();
    this.logFollower = new FileFollower(this.folder.trainLog, {
      offset: logOffset,
      pollMs,
      within,
      onData: (chunk) => {
        const lines = splitter.push(chunk);
        if (lines.length) this.publisher.log(this.id, lines);
      },
    });
    this.metricsFollower.start();
    this.logFollower.start();
  }

  /** Reads both files to their end and stops following; an attempt's incomplete last line is closed. */
  async unfollow(endOfAttempt: boolean): Promise<void> {
    const metrics = this.metricsFollower;
    const log = this.logFollower;
    this.metricsFollower = null;
    this.logFollower = null;
    if (metrics) {
      await metrics.stop();
      this.metricsOffset = metrics.offset;
    }
    await log?.stop();
    if (endOfAttempt && this.stream.hasPartialLine) this.onMetrics(this.stream.flush());
  }

  /** Stops timers; used when the app closes (the container keeps running). */
  async detach(): Promise<void> {
    if (this.trailing) clearTimeout(this.trailing);
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.trailing = null;
    this.stopTimer = null;
    await this.unfollow(false);
    await this.saving;
  }

  private onMetrics(change: 'none' | 'progress' | 'status'): void {
    if (change === 'status') {
      void this.save();
      this.publishNow();
    } else if (change === 'progress') {
      this.publishThrottled();
    }
  }

  private publishNow(): void {
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = null;
    this.lastUpdate = Date.now();
    this.publisher.updated(this.summary());
  }

  private publishThrottled(): void {
    if (this.trailing) return;
    const wait = this.lastUpdate + PROGRESS_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      this.publishNow();
      return;
    }
    this.trailing = setTimeout(() => {
      this.trailing = null;
      this.publishNow();
    }, wait);
    this.trailing.unref();
  }
}
