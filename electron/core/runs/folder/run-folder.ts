import { constants, lstatSync, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, type GpuSample, type TrainerConfig } from '../../../contract';
import { writeJsonAtomic } from '../../atomic-file';
import { CAPS, readContainerJson, unsafeFile } from './container-file';
import { initialRunState, RunRecordFile, RunStateFile } from './run-files';
import { isRunId } from './run-id';

/**
 * How a run folder is laid out. `output`: the trainer writes only `output/` (mounted at /run), the app's
 * own files sit beside it where no container can write. `legacy`: a run made before output/ existed,
 * whose trainer wrote the run folder itself (metrics.jsonl, checkpoints/ in the root); it is read and
 * resumed as it was, its whole folder mounted at /run.
 */
export type RunLayout = 'output' | 'legacy';

/** Files only a trainer writes: one of them in the root (and no output/) makes a run `legacy`. */
const LEGACY_MARKS = [
  'metrics.jsonl',
  'train.log',
  'checkpoints',
  'eval',
  'export',
  'report.md',
  'resolved-config.json',
];

/** The app's own files in the root of a run folder; a container never writes them (in the `output` layout). */
export const APP_FILES = ['run.json', 'state.json', 'config.json', 'gpu.jsonl'] as const;

/** Appending to a run's files: never through a link a container planted, never into a FIFO (O_NONBLOCK: ENXIO). */
export const APPEND_FLAGS =
  constants.O_WRONLY |
  constants.O_APPEND |
  constants.O_CREAT |
  (constants.O_NOFOLLOW ?? 0) |
  (constants.O_NONBLOCK ?? 0);

/** One run's folder on disk (docs/run-folder.md): paths of its files and atomic reads and writes. */
export class RunFolder {
  readonly dir: string;
  private knownLayout: RunLayout | null = null;

  constructor(
    readonly runsDir: string,
    readonly id: string,
  ) {
    this.dir = resolveRunDir(runsDir, id);
  }

  get runJson(): string {
    return path.join(this.dir, 'run.json');
  }
  get stateJson(): string {
    return path.join(this.dir, 'state.json');
  }
  get configJson(): string {
    return path.join(this.dir, 'config.json');
  }
  get gpuLog(): string {
    return path.join(this.dir, 'gpu.jsonl');
  }
  /** The only folder a training container may write (`/run` inside it). */
  get outputDir(): string {
    return path.join(this.dir, 'output');
  }

  /**
   * `output` when output/ is there (or nothing was trained yet: the next start makes it), `legacy`
   * when the trainer's files are in the root. Decided by lstat: an output/ that is a link is not one.
   */
  get layout(): RunLayout {
    if (this.knownLayout) return this.knownLayout;
    const isDir = (p: string) => lstatOrNull(p)?.isDirectory() === true;
    if (isDir(this.outputDir)) return (this.knownLayout = 'output');
    if (LEGACY_MARKS.some((name) => lstatOrNull(path.join(this.dir, name)))) return (this.knownLayout = 'legacy');
    return 'output';
  }

  /** Where the trainer's files are: output/, or the run folder for a legacy run. A container writes here. */
  get trainerDir(): string {
    return this.layout === 'output' ? this.outputDir : this.dir;
  }
  /** A file the trainer writes, by its path relative to /run (read it with container-file.ts). */
  trainerFile(relative: string): string {
    return path.join(this.trainerDir, relative);
  }
  get metrics(): string {
    return this.trainerFile('metrics.jsonl');
  }
  get trainLog(): string {
    return this.trainerFile('train.log');
  }
  get checkpointsDir(): string {
    return this.trainerFile('checkpoints');
  }
  get lastCheckpoint(): string {
    return path.join(this.checkpointsDir, 'last.pt');
  }
  get bestCheckpoint(): string {
    return path.join(this.checkpointsDir, 'best.pt');
  }
  /** Where prediction containers write their CSVs (their only writable mount). */
  get predictionsDir(): string {
    return this.trainerFile('predictions');
  }
  /** The app's notes about each CSV (`.<name>.json`): in the root's predictions/, which no container mounts. */
  predictionMeta(csvName: string): string {
    return path.join(this.dir, 'predictions', `.${path.basename(csvName, '.csv')}.json`);
  }

  /** Makes output/ (private to the user) before the first start of a run that is not legacy. */
  async prepareOutput(): Promise<void> {
    if (this.layout === 'legacy') return;
    await fs.mkdir(this.outputDir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    this.knownLayout = 'output';
  }

  /**
   * Frees the trainer's caches of a finished run (`.cache/`: decoded images, compile caches), which only
   * a resume would reuse: each run keeps its own (engine-runs.md), and 100,000 photos decode to ~25 GB.
   * A `.cache` that is a link is removed as a link, never followed.
   */
  async dropTrainerCaches(): Promise<void> {
    if (this.layout !== 'output') return;
    await fs.rm(path.join(this.outputDir, '.cache'), { recursive: true, force: true });
  }

  /** Reads run.json; null when missing or unreadable. */
  async readRecord(): Promise<RunRecordFile | null> {
    const parsed = RunRecordFile.safeParse(await readContainerJson(this.runJson, this.dir, CAPS.record));
    return parsed.success ? parsed.data : null;
  }

  async writeRecord(record: RunRecordFile): Promise<void> {
    await writeJsonAtomic(this.runJson, record);
  }

  /** Reads state.json; null when missing or unreadable. */
  async readState(): Promise<RunStateFile | null> {
    const parsed = RunStateFile.safeParse(await readContainerJson(this.stateJson, this.dir, CAPS.record));
    return parsed.success ? parsed.data : null;
  }

  async writeState(state: RunStateFile): Promise<void> {
    await writeJsonAtomic(this.stateJson, state);
  }

  async writeConfig(config: TrainerConfig): Promise<void> {
    await writeJsonAtomic(this.configJson, config);
  }

  /** Appends one GPU sample to gpu.jsonl (append-only; a link or anything but a regular file is refused). */
  async appendGpuSample(sample: GpuSample): Promise<void> {
    const handle = await fs.open(this.gpuLog, APPEND_FLAGS, 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ELOOP' || error.code === 'ENXIO') throw unsafeFile(this.gpuLog, 'is a link or a pipe');
      throw error;
    });
    try {
      if (!(await handle.stat()).isFile()) throw unsafeFile(this.gpuLog, 'is not a regular file');
      await handle.write(`${JSON.stringify(sample)}\n`);
    } finally {
      await handle.close();
    }
  }

  async exists(path_: string): Promise<boolean> {
    return fs
      .access(path_)
      .then(() => true)
      .catch(() => false);
  }
}

function lstatOrNull(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

/**
 * The folder of run `id` inside `runsDir`, refusing anything that would lead elsewhere
 * (`..`, separators, absolute paths): a run id is one plain folder name.
 */
export function resolveRunDir(runsDir: string, id: string): string {
  const root = path.resolve(runsDir);
  const dir = path.resolve(root, id);
  if (!isRunId(id) || path.dirname(dir) !== root) {
    throw new AppError('not_found', `There is no run "${id}".`, { fix: 'Pick a run from the runs list.' });
  }
  return dir;
}

/** The ids of all run folders in `runsDir` (folders with a run.json), newest first by id. */
export async function listRunIds(runsDir: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(runsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const ids: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !isRunId(entry.name)) continue;
    const has = await fs
      .access(path.join(runsDir, entry.name, 'run.json'))
      .then(() => true)
      .catch(() => false);
    if (has) ids.push(entry.name);
  }
  return ids.sort().reverse();
}

/** Reads a run's record and state; a run without state.json (interrupted creation) counts as stopped. */
export async function readRun(folder: RunFolder): Promise<{ record: RunRecordFile; state: RunStateFile }> {
  const record = await folder.readRecord();
  if (!record) throw new AppError('not_found', `There is no run "${folder.id}".`, { fix: 'Reload the runs list.' });
  const state = (await folder.readState()) ?? { ...initialRunState(), status: 'stopped', resumable: true };
  return { record, state };
}
