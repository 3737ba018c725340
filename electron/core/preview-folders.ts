import fs from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from './atomic-file';

/** At most this many folders are remembered (the oldest are forgotten first). */
const KEEP = 1000;

/**
 * The folders whose images the app may show (dataset thumbnails, a run's mistakes, predictions): the
 * ones the user scanned, trained on or classified. Remembered across restarts in the app's data
 * folder (`preview-folders.json`), which no container can write — unlike a run's `run.json`, which
 * the training container could change, so a finished run's images still show after a restart
 * without trusting the run folder.
 *
 *   const folders = PreviewFolders.load(dataDir);  folders.add(realPath);  folders.has(realPath)
 */
export class PreviewFolders extends Set<string> {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    initial: readonly string[],
  ) {
    super();
    for (const folder of initial) super.add(folder);
  }

  /** The remembered folders (none when the file is missing or unreadable). */
  static load(dataDir: string): PreviewFolders {
    const file = path.join(dataDir, 'preview-folders.json');
    let initial: string[] = [];
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (Array.isArray(parsed))
        initial = parsed.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p));
    } catch {
      // first start, or a damaged file: start with none (the user scans again)
    }
    return new PreviewFolders(file, initial.slice(-KEEP));
  }

  override add(folder: string): this {
    if (this.has(folder)) return this;
    super.add(folder);
    if (this.size > KEEP) this.delete(this.values().next().value as string);
    this.saving = this.saving.then(() => writeJsonAtomic(this.file, [...this]).catch(() => undefined));
    return this;
  }

  /** Resolves once every addition so far is on disk (tests, and before closing). */
  flushed(): Promise<void> {
    return this.saving;
  }
}
