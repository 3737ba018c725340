import { autoValCount } from '../../contract';

/** The rule itself lives in the contract, so that the renderer can preview it too. */
export { autoValCount };

/** About how many train and validation images one class gets under the automatic split (`autoValCount`). */
export function autoSplit(n: number, ratio: number): { train: number; val: number } {
  const val = autoValCount(n, ratio);
  return { train: n - val, val };
}
