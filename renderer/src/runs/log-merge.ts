/**
 * How many of `incoming`'s first lines repeat the last lines of `tail`: the longest k with
 * tail[-k:] == incoming[:k]. Used once per reload, where lines that arrived live while the
 * snapshot was read may also be in it (run.log lines carry no number to deduplicate by).
 */
export function overlapLength(tail: readonly string[], incoming: readonly string[]): number {
  const max = Math.min(tail.length, incoming.length);
  for (let k = max; k > 0; k--) {
    let same = true;
    for (let i = 0; i < k; i++) {
      if (tail[tail.length - k + i] !== incoming[i]) {
        same = false;
        break;
      }
    }
    if (same) return k;
  }
  return 0;
}

/** Appends `incoming` to `lines` (a new array), keeping the last `keep`; `dropOverlap` skips lines already there. */
export function appendLogLines(
  lines: readonly string[],
  incoming: readonly string[],
  dropOverlap: boolean,
  keep: number,
): { lines: string[]; added: number } {
  const fresh = dropOverlap ? incoming.slice(overlapLength(lines, incoming)) : incoming;
  const merged = lines.concat(fresh);
  return { lines: merged.length > keep ? merged.slice(merged.length - keep) : merged, added: fresh.length };
}
