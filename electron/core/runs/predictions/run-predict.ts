import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError, type Prediction, type Predictions, type TrainerEvent } from '../../../contract';
import { resolveDatasetRoot } from '../../dataset/scan/dataset-root';
import { rootError } from '../../dataset/scan/scan-errors';
import { classifyDockerError } from '../../docker/classify-docker-error';
import { dockerProblemError } from '../../docker/docker-problem-fixes';
import { engineFixContext } from '../../docker/fix-context';
import { PREDICT_PATHS, predictContainerSpec } from '../../docker/container-spec';
import { writeJsonAtomic } from '../../atomic-file';
import type { AttemptEnv } from '../lifecycle/run-attempt';
import type { RunFolder } from '../folder/run-folder';
import { checkedRunMount } from '../folder/mount-check';
import { CAPS, readContainerText } from '../folder/container-file';
import { runToolContainer } from '../../docker/tool-container';
import { PROCESSOR, type PredictDevice } from './predict-device';
import { attentionPathOf, readAttentionMaps } from '../attention/attention-file';

/** Rows sent to the UI; the CSV in the run folder has all of them. */
export const MAX_PREDICTION_ROWS = 1000;

/** What follows one classification (prediction-jobs.ts): its progress, and its Cancel. */
export interface PredictTracker {
  started(folder: string, file: string, device?: string | null): void;
  onEvent(event: TrainerEvent): void;
  readonly abort: AbortController;
}

/** Kept in the run folder's own `predictions/.<name>.json` (RunFolder.predictionMeta): what the CSV cannot say. */
export const PredictionMeta = z.object({
  folder: z.string(),
  startedAt: z.string(),
  durationS: z.number(),
  total: z.number().int(),
  classified: z.number().int(),
  /** Where it was classified (PredictDevice.label); absent in older files. */
  device: z.string().nullable().default(null),
});
export type PredictionMeta = z.infer<typeof PredictionMeta>;

/**
 * Classifies every image under `input` with the run's best model: `deit_trainer predict` in a
 * locked-down container (no network, the images and the model read-only), writing
 * `predictions/<time>.csv` into the run folder. Nothing in the images folder is changed. With a
 * tracker, its progress events are followed and aborting it kills the container; the trainer writes
 * `<name>.csv.tmp` and renames it only when complete, and a stopped or failed one's temp file is
 * deleted here, so no partial CSV is ever left.
 */
export async function predictFolder(
  env: AttemptEnv,
  run: RunFolder,
  input: string,
  tracker?: PredictTracker,
  device: PredictDevice = PROCESSOR,
): Promise<Predictions> {
  const engine = env.currentEngine();
  if (engine.kind === 'ssh') {
    // The images are on this computer and the model runs where the engine is: not sent there yet.
    throw new AppError('not_available', `Trying the model on images does not work on ${engine.label} yet.`, {
      fix: 'Choose "This computer" under Environment → Engines, then try again: a finished run’s model is copied here.',
    });
  }
  const folder = resolveDatasetRoot(input);
  const stat = await fs.stat(folder).catch((error: unknown) => Promise.reject(rootError(folder, error)));
  if (!stat.isDirectory()) {
    throw new AppError('validation', `${folder} is a file, not a folder.`, {
      fix: 'Choose the folder that holds the images to classify (sub-folders are included).',
    });
  }
  if (!(await run.exists(run.bestCheckpoint))) {
    throw new AppError('not_available', 'This run has no trained model yet.', {
      fix: 'Wait until the run has finished its first epoch (it saves its best model then), then try again.',
    });
  }
  // Its only writable mount: output/predictions/ (a legacy run: predictions/), re-checked below.
  const outputDir = run.predictionsDir;
  await fs.mkdir(outputDir, { recursive: true, mode: 0o700 });
  const startedAt = env.now();
  const outputName = `${timestamp(startedAt)}-${Math.random().toString(36).slice(2, 6).padEnd(4, '0')}.csv`;
  const csvPath = path.join(outputDir, outputName);
  const started = Date.now();
  const spec = predictContainerSpec({
    runId: run.id,
    image: await env.trainerImage(),
    checkpointsDir: await checkedRunMount(run.runsDir, run.checkpointsDir, 'folder'),
    imagesDir: folder,
    outputDir: await checkedRunMount(run.runsDir, outputDir, 'folder'),
    outputName,
    user: env.user,
    dataDir: env.paths.dataDir,
    namePrefix: env.namePrefix,
    ...(device.kind === 'gpu' ? { gpu: { id: device.gpuId, precision: device.precision } } : {}),
  });
  tracker?.started(folder, outputName, device.label);
  const docker = await env.docker();
  let result;
  try {
    result = await runToolContainer(
      docker,
      spec,
      () => undefined,
      () => undefined,
      {
        onEvent: (event) => tracker?.onEvent(event),
        signal: tracker?.abort.signal,
      },
    ).catch(async (error: unknown) => {
      throw dockerProblemError(classifyDockerError(error), await engineFixContext(docker));
    });
  } finally {
    await fs.rm(`${csvPath}.tmp`, { force: true }); // only there when it did not complete
    // the maps are written just before the CSV is renamed: without the CSV they belong to nothing
    if (!(await run.exists(csvPath))) await fs.rm(attentionPathOf(csvPath), { force: true });
  }
  if (tracker?.abort.signal.aborted) {
    await fs.rm(csvPath, { force: true }); // cancelled in the very moment it completed: as asked, nothing kept
    await fs.rm(attentionPathOf(csvPath), { force: true });
    throw new AppError('cancelled', 'Classifying the images was cancelled; no CSV file was kept.');
  }
  if (result.exitCode !== 0) {
    throw new AppError('internal', result.error?.message ?? 'Classifying the images failed.', {
      fix: result.error?.fix ?? 'Check that the folder holds images (JPEG, PNG, …), then try again.',
      detail: result.error?.detail ?? result.tail.join('\n'),
    });
  }
  const rows = predictionRows((await readContainerText(csvPath, run.trainerDir, CAPS.csv)) ?? '');
  const durationS = Math.round(((Date.now() - started) / 1000) * 10) / 10;
  const summary = await withAttention(summarise(folder, csvPath, rows, durationS, device.label), run.trainerDir);
  const meta: PredictionMeta = {
    folder,
    startedAt: startedAt.toISOString(),
    durationS,
    total: summary.total,
    classified: summary.classified,
    device: device.label,
  };
  // In the root's predictions/, which no container mounts: its folder is trusted for previews.
  await fs.mkdir(path.dirname(run.predictionMeta(outputName)), { recursive: true, mode: 0o700 });
  await writeJsonAtomic(run.predictionMeta(outputName), meta);
  return summary;
}

/** The trainer's predictions CSV (path, predicted, confidence, top_k, error) as rows. */
export function predictionRows(csv: string): Prediction[] {
  const [header, ...records] = parseCsv(csv);
  if (header?.join(',') !== 'path,predicted,confidence,top_k,error') {
    throw new AppError('internal', 'The predictions file has an unexpected layout.', {
      fix: 'Get the training image again on the environment page (it may be from an older DeiT Studio).',
    });
  }
  const prefix = `${PREDICT_PATHS.images}/`;
  return records.map(([file = '', predicted = '', confidence = '', topK = '', error = '']) => ({
    file: file.startsWith(prefix) ? file.slice(prefix.length) : file,
    predicted: predicted || null,
    confidence: confidence ? Number(confidence) : null,
    topK: topK
      ? topK.split(';').map((pair) => {
          const at = pair.lastIndexOf(':');
          return { label: pair.slice(0, at), probability: Number(pair.slice(at + 1)) };
        })
      : [],
    error: error || null,
  }));
}

/** The rows sent to the UI with their attention maps, when the trainer wrote `<name>.attention.json`. */
export async function withAttention(summary: Predictions, within: string): Promise<Predictions> {
  const maps = await readAttentionMaps(attentionPathOf(summary.csvPath), within);
  if (maps.size === 0) return summary;
  const prefix = `${PREDICT_PATHS.images}/`;
  const byFile = new Map([...maps].map(([key, map]) => [key.startsWith(prefix) ? key.slice(prefix.length) : key, map]));
  const rows = summary.rows.map((row) => {
    const attention = byFile.get(row.file);
    return attention ? { ...row, attention } : row;
  });
  return { ...summary, rows };
}

/** The rows as the results view shows them: counts per class, the first rows. */
export function summarise(
  folder: string,
  csvPath: string,
  rows: Prediction[],
  durationS: number | null,
  device: string | null = null,
): Predictions {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.predicted) counts.set(row.predicted, (counts.get(row.predicted) ?? 0) + 1);
  return {
    folder,
    csvPath,
    total: rows.length,
    classified: rows.filter((r) => r.predicted !== null).length,
    byClass: [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count),
    rows: rows.slice(0, MAX_PREDICTION_ROWS),
    truncated: rows.length > MAX_PREDICTION_ROWS,
    durationS,
    device,
  };
}

/** RFC 4180 CSV (Python's csv module: quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') {
        field += c;
      } else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rows.push([...row, field]);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

/** 2026-11-29T02:31:05.123Z → "20261129-023105" (UTC, like run ids). */
function timestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}
