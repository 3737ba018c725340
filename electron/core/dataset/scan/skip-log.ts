import type { DatasetSkippedFile, SkipCode } from '../../../contract';

// The trainer's SYSTEM_NAMES (docker/deit_trainer/dataset.py), compared in lower case.
const HIDDEN_NAMES = new Set([
  'thumbs.db',
  'desktop.ini',
  '__macosx',
  '$recycle.bin',
  'system volume information',
  'lost+found',
]);

/** Whether a file or folder name is hidden: dot-files, and system names such as Thumbs.db or __MACOSX (any case). */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.') || HIDDEN_NAMES.has(name.toLowerCase());
}

/** How many skipped entries a scan result lists; the rest are counted. */
export const SKIPPED_LIST_LIMIT = 200;

/** Every file and folder a scan left out, with the reason; summarised (capped, counted) for the result. */
export class SkipLog {
  private readonly entries: DatasetSkippedFile[] = [];

  /** Records one left-out file, or folder (its path ends in "/"). */
  add(path: string, code: SkipCode, reason: string): void {
    this.entries.push({ path, code, reason });
  }

  get total(): number {
    return this.entries.length;
  }

  /**
   * Entries worth the "skipped files" warning: not hidden files (expected) nor empty class folders (which
   * have their own warning). Their count and the first few paths.
   */
  notable(examples: number): { count: number; examples: string[] } {
    const notable = this.entries.filter((e) => e.code !== 'hidden' && e.code !== 'empty_class').map((e) => e.path);
    return { count: notable.length, examples: notable.sort().slice(0, examples) };
  }

  /** The first `limit` entries by path, the total, and the count for each reason (largest first). */
  summary(limit = SKIPPED_LIST_LIMIT): {
    skipped: DatasetSkippedFile[];
    skippedTotal: number;
    skippedByCode: Array<{ code: SkipCode; count: number }>;
  } {
    const byCode = new Map<SkipCode, number>();
    for (const entry of this.entries) byCode.set(entry.code, (byCode.get(entry.code) ?? 0) + 1);
    const sorted = [...this.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return {
      skipped: sorted.slice(0, limit),
      skippedTotal: this.entries.length,
      skippedByCode: [...byCode].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count),
    };
  }
}
