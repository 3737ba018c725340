import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { chartTuning } from './chart-tuning';

/** The label of each chart redraw in a performance trace (the benchmark counts them). */
export const DRAW_TIMESTAMP = 'deit:chart-draw';

type Job = () => void;

const queue: Job[] = [];
let frameRequested = false;

function nextFrame(fn: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(fn);
  else setTimeout(fn, 16);
}

function runOne(): void {
  frameRequested = false;
  queue.shift()?.();
  if (queue.length > 0) {
    frameRequested = true;
    nextFrame(runOne);
  }
}

/**
 * Queues a piece of UI work for an animation frame; jobs run one per frame, oldest first. Chart
 * redraws and the dashboard's store updates go through this queue, so an update that touches five
 * charts is spread over six frames instead of making one long frame. Returns a function that drops
 * the job.
 */
export function queueFrameJob(job: Job): () => void {
  queue.push(job);
  if (!frameRequested) {
    frameRequested = true;
    nextFrame(runOne);
  }
  return () => {
    const at = queue.indexOf(job);
    if (at >= 0) queue.splice(at, 1);
  };
}

/**
 * The data version a chart may draw now: `version` itself at first, later the newest version once
 * the chart's turn in the frame queue comes (rendered synchronously inside that frame, so the redraw
 * and its paint stay in one frame), and no sooner than `chartTuning.minRedrawMs` after its last
 * redraw: a training curve needs no more than a couple of redraws a second.
 */
export function useDrawnVersion(version: number): number {
  const [drawn, setDrawn] = useState(version);
  const lastDraw = useRef(-Infinity);
  useEffect(() => {
    if (drawn === version) return;
    let cancelDraw: (() => void) | undefined;
    const wait = Math.max(0, lastDraw.current + chartTuning.minRedrawMs - performance.now());
    const timer = setTimeout(() => {
      cancelDraw = queueFrameJob(() => {
        console.timeStamp?.(DRAW_TIMESTAMP);
        lastDraw.current = performance.now();
        flushSync(() => setDrawn(version));
      });
    }, wait);
    return () => {
      clearTimeout(timer);
      cancelDraw?.();
    };
  }, [version, drawn]);
  return drawn;
}
