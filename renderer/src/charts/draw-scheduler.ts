import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';

type Draw = () => void;

const queue: Draw[] = [];
let frameRequested = false;

function nextFrame(fn: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(fn);
  else setTimeout(fn, 16);
}

/** The label of each chart redraw in a performance trace (the benchmark counts them). */
export const DRAW_TIMESTAMP = 'deit:chart-draw';

function drawOne(): void {
  frameRequested = false;
  const draw = queue.shift();
  if (draw) {
    console.timeStamp?.(DRAW_TIMESTAMP);
    draw();
  }
  if (queue.length > 0) {
    frameRequested = true;
    nextFrame(drawOne);
  }
}

/**
 * Queues a chart redraw; redraws run one per animation frame, oldest first. A recharts redraw costs
 * several milliseconds even with few points, so an update that touches five charts spreads over five
 * frames instead of one long frame. Returns a function that drops the request.
 */
export function requestChartDraw(draw: Draw): () => void {
  queue.push(draw);
  if (!frameRequested) {
    frameRequested = true;
    nextFrame(drawOne);
  }
  return () => {
    const at = queue.indexOf(draw);
    if (at >= 0) queue.splice(at, 1);
  };
}

/**
 * The data version a chart may draw now: `version` itself at first, later the newest version
 * once the chart's turn in the draw queue comes (rendered synchronously inside that frame, so the
 * redraw and its paint stay in one frame).
 */
export function useDrawnVersion(version: number): number {
  const [drawn, setDrawn] = useState(version);
  useEffect(() => {
    if (drawn === version) return;
    return requestChartDraw(() => flushSync(() => setDrawn(version)));
  }, [version, drawn]);
  return drawn;
}
