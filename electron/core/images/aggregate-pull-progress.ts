import type { LayerStatus, PullEvent } from './parse-pull-event';

interface Layer {
  status: LayerStatus;
  /** Bytes downloaded, never decreasing. */
  downloaded: number;
  total: number | null;
}

/** The whole pull at one moment. */
export interface PullSnapshot {
  layersDone: number;
  layersTotal: number;
  bytesDone: number;
  /** Null while some layer's size is unknown. */
  bytesTotal: number | null;
  speedBytesPerS: number | null;
  etaS: number | null;
  /** Every byte is here; layers are being unpacked. */
  unpacking: boolean;
}

const FINISHED: LayerStatus[] = ['done', 'exists'];
const DOWNLOADED: LayerStatus[] = ['verifying', 'downloaded', 'extracting', 'done'];
/** Speed over the last few seconds: steady enough to read, quick to follow a change. */
const SPEED_WINDOW_MS = 5000;

/**
 * Folds pull events into totals: layers done of layers seen, bytes downloaded of bytes known, speed
 * over a sliding window and ETA. Pure (time is passed in). Tolerates events of both image stores:
 * layers that first appear mid-pull (no "Pulling fs layer"), totals missing or -1, extraction in seconds.
 * Byte counts only grow, so a progress bar never moves backwards within a layer.
 */
export class PullProgressTracker {
  private readonly layers = new Map<string, Layer>();
  private readonly history: Array<{ time: number; bytes: number }> = [];

  /** Applies one event seen at `time` (ms). Errors and info are not progress: the caller handles them. */
  apply(event: PullEvent, time: number): void {
    if (event.kind !== 'layer') return;
    const layer = this.layers.get(event.id) ?? { status: event.status, downloaded: 0, total: null };
    if (event.total !== null && !event.seconds) layer.total = event.total;
    if (event.status === 'downloading' && event.current !== null && !event.seconds) {
      layer.downloaded = Math.max(layer.downloaded, event.current);
    }
    if (DOWNLOADED.includes(event.status)) {
      // A finished download's size is known even when its events never said (total -1 or missing).
      if (layer.total === null && layer.downloaded > 0) layer.total = layer.downloaded;
      if (layer.total !== null) layer.downloaded = Math.max(layer.downloaded, layer.total);
    }
    // A layer never goes back to an earlier stage (a late "Downloading" after "Download complete" is noise).
    if (!FINISHED.includes(layer.status)) layer.status = event.status;
    this.layers.set(event.id, layer);
    this.history.push({ time, bytes: this.bytesDone() });
    while (this.history.length > 2 && (this.history[1]?.time ?? time) < time - SPEED_WINDOW_MS) this.history.shift();
  }

  /** Totals at `time` (ms). */
  snapshot(time: number): PullSnapshot {
    const counted = [...this.layers.values()].filter((l) => l.status !== 'exists');
    const bytesDone = this.bytesDone();
    const bytesTotal =
      counted.length > 0 && counted.every((l) => l.total !== null)
        ? counted.reduce((sum, l) => sum + (l.total ?? 0), 0)
        : null;
    const speed = this.speed(time, bytesDone);
    const remaining = bytesTotal === null ? null : Math.max(0, bytesTotal - bytesDone);
    const unpacking = counted.length > 0 && counted.every((l) => DOWNLOADED.includes(l.status));
    return {
      layersDone: [...this.layers.values()].filter((l) => FINISHED.includes(l.status)).length,
      layersTotal: this.layers.size,
      bytesDone,
      bytesTotal,
      speedBytesPerS: speed,
      etaS: unpacking || remaining === null || !speed ? null : Math.round(remaining / speed),
      unpacking,
    };
  }

  private bytesDone(): number {
    let sum = 0;
    for (const layer of this.layers.values()) if (layer.status !== 'exists') sum += layer.downloaded;
    return sum;
  }

  private speed(time: number, bytes: number): number | null {
    const oldest = this.history.find((h) => h.time >= time - SPEED_WINDOW_MS) ?? this.history[0];
    if (!oldest || time - oldest.time < 500) return null;
    return Math.max(0, ((bytes - oldest.bytes) * 1000) / (time - oldest.time));
  }
}
