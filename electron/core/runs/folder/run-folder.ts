import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, type GpuSample, type TrainerConfig } from '../../../contract';
import { readJsonOrNull, writeJsonAtomic } from '../../atomic-file';
import { initialRunState, RunRecordFile, RunStateFile } from './run-files';
import { isRunId } from './run-id';

/** One run's folder on disk (docs/run-folder.md): paths of its files and atomic reads and writes. */
export class RunFolder {
  readonly dir: string;

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
  get metrics(): string {
    return path.join(this.dir, 'metrics.jsonl');
  }
  get trainLog(): string {
    return path.join(this.dir, 'train.log');
  }
  get gpuLog(): string {
    return path.join(this.dir, 'gpu.jsonl');
  }
  get checkpointsDir(): string {
    return path.join(this.dir, 'checkpoints');
  }
  get lastCheckpoint(): string {
    return path.join(this.checkpointsDir, 'last.pt');
  }
  get bestCheckpoint(): string {
    return path.join(this.checkpointsDir, 'best.pt');
  }
  /** Any file of the run by its path relative to the run folder (trusted callers only). */
  file(relative: string): string {
    return path.join(this.dir, relative);
  }

  /** Reads run.json; null when missing or unreadable. */
  async readRecord(): Promise<RunRecordFile | null> {
    const parsed = RunRecordFile.safeParse(await readJsonOrNull(this.runJson));
    return parsed.success ? parsed.data : null;
  }

  async writeRecord(record: RunRecordFile): Promise<void> {
    await writeJsonAtomic(this.runJson, record);
  }

  /** Reads state.json; null when missing or unreadable. */
  async readState(): Promise<RunStateFile | null> {
    const parsed = RunStateFile.safeParse(await readJsonOrNull(this.stateJson));
    return parsed.success ? parsed.data : null;
  }

  async writeState(state: RunStateFile): Promise<void> {
    await writeJsonAtomic(this.stateJson, state);
  }

  async writeConfig(config: TrainerConfig): Promise<void> {
    await writeJsonAtomic(this.configJson, config);
  }

  /** Appends one GPU sample to gpu.jsonl (append-only, like the trainer's logs). */
  async appendGpuSample(sample: GpuSample): Promise<void> {
    await fs.appendFile(this.gpuLog, `${JSON.stringify(sample)}\n`);
  }

  async exists(path_: string): Promise<boolean> {
    return fs
      .access(path_)
      .then(() => true)
      .catch(() => false);
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
