import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, PredictionFileName, type PredictionRecord, type Predictions } from '../../../contract';
import type { RunFolder } from '../folder/run-folder';
import { PredictionMeta, predictionRows, summarise, withAttention } from './run-predict';
import { CAPS, readContainerJson, readContainerText } from '../folder/container-file';

/**
 * A run's earlier classifications of new images: the CSVs of its output/predictions/ folder (a `.tmp`
 * of one cut short never counts), newest first, each with what the app's `predictions/.<name>.json`
 * says (the folder, the duration); CSVs from before that file existed are counted from their rows.
 * The CSVs were written by a container: read capped and never through a link (container-file.ts).
 *
 *   const items = await listPredictions(run);                  // for the results view's list
 *   const one = await openPrediction(run, items[0].file);      // the same view as right after classifying
 */

/** More than a results page can usefully list; the folder keeps them all. */
export const MAX_LISTED = 100;

export function predictionsDir(run: RunFolder): string {
  return run.predictionsDir;
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
  const records = await Promise.all(names.map((name) => record(run, path.join(dir, name))));
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
  const text = await readContainerText(csvPath, run.trainerDir, CAPS.csv);
  if (text === null) {
    throw new AppError('not_found', `The run folder has no predictions file "${file}".`, {
      fix: 'It may have been deleted: pick another one from the list of earlier classifications.',
    });
  }
  const meta = await readMeta(run, file);
  const summary = summarise(
    meta?.folder ?? '',
    csvPath,
    predictionRows(text),
    meta?.durationS ?? null,
    meta?.device ?? null,
  );
  return withAttention(summary, run.trainerDir);
}

async function record(run: RunFolder, csvPath: string): Promise<PredictionRecord | null> {
  const file = path.basename(csvPath);
  let stat;
  try {
    stat = await fs.lstat(csvPath);
  } catch {
    return null; // deleted while listing
  }
  const meta = await readMeta(run, file);
  let counts = meta ? { total: meta.total, classified: meta.classified } : null;
  if (!counts) {
    try {
      const rows = predictionRows((await readContainerText(csvPath, run.trainerDir, CAPS.csv)) ?? '');
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

async function readMeta(run: RunFolder, file: string): Promise<PredictionMeta | null> {
  // The app wrote it where no container writes (a legacy run's predictions/ was mounted: read it like the CSV).
  const parsed = PredictionMeta.safeParse(await readContainerJson(run.predictionMeta(file), run.dir, CAPS.record));
  return parsed.success ? parsed.data : null;
}

/** "20261129-023105-ab12.csv" → "2026-11-29T02:31:05.000Z" (the names run-predict gives, in UTC). */
export function timeFromName(file: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(file);
  if (!m) return null;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
