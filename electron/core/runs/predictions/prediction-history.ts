import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, PredictionFileName, type PredictionRecord, type Predictions } from '../../../contract';
import type { RunFolder } from '../folder/run-folder';
import { metaPath, PredictionMeta, predictionRows, summarise } from './run-predict';

/**
 * A run's earlier classifications of new images: the CSVs of its predictions/ folder (a `.tmp` of
 * one cut short never counts), newest first, each with what its `.<name>.json` beside it says (the
 * folder, the duration); CSVs from before that file existed are counted from their rows.
 *
 *   const items = await listPredictions(run);                  // for the results view's list
 *   const one = await openPrediction(run, items[0].file);      // the same view as right after classifying
 */

/** More than a results page can usefully list; the folder keeps them all. */
export const MAX_LISTED = 100;

export function predictionsDir(run: RunFolder): string {
  return path.join(run.dir, 'predictions');
}

export async function listPredictions(run: RunFolder): Promise<PredictionRecord[]> {
  const dir = predictionsDir(run);
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names = entries
    .filter((entry) => entry.isFile() && PredictionFileName.safeParse(entry.name).success)
    .map((entry) => entry.name);
  const records = await Promise.all(names.map((name) => record(path.join(dir, name))));
  return records
    .filter((r): r is PredictionRecord => r !== null)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.file.localeCompare(a.file))
    .slice(0, MAX_LISTED);
}

/** One earlier classification, as `runs.predict` answered it. */
export async function openPrediction(run: RunFolder, file: string): Promise<Predictions> {
  if (!PredictionFileName.safeParse(file).success) {
    throw new AppError('validation', `"${file}" is not a predictions file name.`);
  }
  const csvPath = path.join(predictionsDir(run), file);
  const text = await fs.readFile(csvPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      throw new AppError('not_found', `The run folder has no predictions file "${file}".`, {
        fix: 'It may have been deleted: pick another one from the list of earlier classifications.',
      });
    }
    throw error;
  });
  const meta = await readMeta(csvPath);
  return summarise(meta?.folder ?? '', csvPath, predictionRows(text), meta?.durationS ?? null);
}

async function record(csvPath: string): Promise<PredictionRecord | null> {
  const file = path.basename(csvPath);
  let stat;
  try {
    stat = await fs.stat(csvPath);
  } catch {
    return null; // deleted while listing
  }
  const meta = await readMeta(csvPath);
  let counts = meta ? { total: meta.total, classified: meta.classified } : null;
  if (!counts) {
    try {
      const rows = predictionRows(await fs.readFile(csvPath, 'utf8'));
      counts = { total: rows.length, classified: rows.filter((r) => r.predicted !== null).length };
    } catch {
      return null; // not one of the trainer's CSVs
    }
  }
  return {
    file,
    createdAt: meta?.startedAt ?? timeFromName(file) ?? stat.mtime.toISOString(),
    folder: meta?.folder ?? null,
    ...counts,
    durationS: meta?.durationS ?? null,
  };
}

async function readMeta(csvPath: string): Promise<PredictionMeta | null> {
  try {
    const parsed = PredictionMeta.safeParse(JSON.parse(await fs.readFile(metaPath(csvPath), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** "20261129-023105-ab12.csv" → "2026-11-29T02:31:05.000Z" (the names run-predict gives, in UTC). */
export function timeFromName(file: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(file);
  if (!m) return null;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
