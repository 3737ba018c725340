/**
 * Concurrency limits on Node's own primitives (issue 16 weighed `p-limit`): `forEachBounded` runs a
 * fixed number of workers over an index, so 100,000 files cost a handful of promises, where a limiter
 * package queues one promise per task; `createLimiter` is the small limiter the folder walk needs.
 * `p-limit` is ESM-only, and serve mode's CommonJS bundle loads its packages from node_modules, so it
 * would lean on Node's require(esm): not worth it for 18 lines.
 *
 *   await forEachBounded(files.length, 16, async (i) => inspect(files[i]));
 *   const limit = createLimiter(16); await limit(() => fs.promises.readdir(dir));
 */

/** Runs async work with at most `concurrency` tasks in flight; returns a wrapper to pass each task through. */
export function createLimiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    active -= 1;
    waiting.shift()?.();
  };
  return async (task) => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/**
 * Calls `work(i)` for i = 0 … count-1 with at most `concurrency` calls in flight, in index order,
 * without creating all the promises up front (so 100,000 items cost `concurrency` promises at a time).
 */
export async function forEachBounded(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
