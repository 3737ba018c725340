import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError, ClassMetrics, type RunResults } from '../../contract';
import { readJsonOrNull } from './atomic-file';
import type { RunFolder } from './run-folder';

// The trainer's result files (docs/run-folder.md); read tolerantly, entry by entry.
const EvalMetricsFile = z.looseObject({
  val_top1: z.number().nullable().optional(),
  val_top5: z.number().nullable().optional(),
  per_class: z.array(z.unknown()).optional(),
  confusion: z.looseObject({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) }).optional(),
});
const Misclassified = z.looseObject({
  path: z.string(),
  true: z.string(),
  predicted: z.string(),
  confidence: z.number(),
});

const FORMATS: Record<string, string> = {
  '.onnx': 'onnx',
  '.pt': 'torchscript',
  '.json': 'json',
};

/** Results of a finished run from its eval/, export/ and report.md; `not_found` before there are any. */
export async function readRunResults(folder: RunFolder): Promise<RunResults> {
  const evalFile = EvalMetricsFile.safeParse(await readJsonOrNull(folder.file('eval/metrics.json')));
  if (!evalFile.success) {
    throw new AppError('not_found', 'This run has no results yet.', {
      fix: 'Results appear when a run has finished (its last step evaluates the best model).',
    });
  }
  const metrics = evalFile.data;
  const perClass = (metrics.per_class ?? []).flatMap((entry) => {
    const parsed = ClassMetrics.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
  const wrongRaw = await readJsonOrNull(folder.file('eval/misclassified.json'));
  const misclassified = (Array.isArray(wrongRaw) ? wrongRaw : []).flatMap((entry) => {
    const parsed = Misclassified.safeParse(entry);
    if (!parsed.success) return [];
    const { path: file, true: trueLabel, predicted, confidence } = parsed.data;
    return [{ path: file, trueLabel, predictedLabel: predicted, confidence }];
  });
  return {
    folder: folder.dir,
    valTop1: metrics.val_top1 ?? null,
    valTop5: metrics.val_top5 ?? null,
    perClass,
    confusion: metrics.confusion
      ? { labels: metrics.confusion.labels, matrix: metrics.confusion.matrix }
      : { labels: [], matrix: [] },
    misclassified,
    exports: await readExports(folder),
    reportMarkdown: await fs.readFile(folder.file('report.md'), 'utf8').catch(() => ''),
  };
}

async function readExports(folder: RunFolder): Promise<RunResults['exports']> {
  const dir = folder.file('export');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const parity = (await readJsonOrNull(path.join(dir, 'parity.json'))) as Record<string, unknown> | null;
  return names
    .filter((name) => !name.startsWith('.') && name !== 'parity.json')
    .sort()
    .map((name) => {
      const format = FORMATS[path.extname(name)] ?? (path.extname(name).slice(1) || 'file');
      const diff = parity?.[format];
      return {
        format,
        path: path.join(dir, name),
        parityMaxAbsDiff: typeof diff === 'number' && format !== 'json' ? diff : null,
      };
    });
}
