import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, type Prediction, type Predictions } from '../../contract';
import { resolveDatasetRoot } from '../dataset/dataset-handlers';
import { rootError } from '../dataset/scan-errors';
import { classifyDockerError } from '../docker/classify-docker-error';
import { dockerProblemError } from '../docker/docker-problem-fixes';
import { engineFixContext } from '../docker/fix-context';
import { PREDICT_PATHS, predictContainerSpec } from './container-spec';
import type { AttemptEnv } from './run-attempt';
import type { RunFolder } from './run-folder';
import { runToolContainer } from './tool-container';

/** Rows sent to the UI; the CSV in the run folder has all of them. */
export const MAX_PREDICTION_ROWS = 1000;

/**
 * Classifies every image under `input` with the run's best model: `deit_trainer predict` in a
 * locked-down container (no network, the images and the model read-only), writing
 * `predictions/<time>.csv` into the run folder. Nothing in the images folder is changed.
 */
export async function predictFolder(env: AttemptEnv, run: RunFolder, input: string): Promise<Predictions> {
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
  const outputDir = path.join(run.dir, 'predictions');
  await fs.mkdir(outputDir, { recursive: true });
  const outputName = `${timestamp(env.now())}-${Math.random().toString(36).slice(2, 6)}.csv`;
  const started = Date.now();
  const spec = predictContainerSpec({
    runId: run.id,
    image: await env.trainerImage(),
    checkpointsDir: run.checkpointsDir,
    imagesDir: folder,
    outputDir,
    outputName,
    user: env.user,
    dataDir: env.paths.dataDir,
    namePrefix: env.namePrefix,
  });
  const docker = await env.docker();
  const result = await runToolContainer(
    docker,
    spec,
    () => undefined,
    () => undefined,
  ).catch(async (error: unknown) => {
    throw dockerProblemError(classifyDockerError(error), await engineFixContext(docker));
  });
  if (result.exitCode !== 0) {
    throw new AppError('internal', result.error?.message ?? 'Classifying the images failed.', {
      fix: result.error?.fix ?? 'Check that the folder holds images (JPEG, PNG, …), then try again.',
      detail: result.error?.detail ?? result.tail.join('\n'),
    });
  }
  const csvPath = path.join(outputDir, outputName);
  const rows = predictionRows(await fs.readFile(csvPath, 'utf8'));
  return summarise(folder, csvPath, rows, (Date.now() - started) / 1000);
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

function summarise(folder: string, csvPath: string, rows: Prediction[], durationS: number): Predictions {
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
    durationS: Math.round(durationS * 10) / 10,
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
