import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError, ClassMetrics, SelectionMetric, type RunResults, type SplitScores } from '../../../contract';
import { CAPS, isUnsafeFile, readContainerJson, readContainerText } from '../folder/container-file';
import type { RunFolder } from '../folder/run-folder';
import { readAttentionMaps } from '../attention/attention-file';

// The trainer's result files (docs/run-folder.md); read tolerantly, entry by entry. Fields added
// later are optional: run folders from older trainers load with them null.
const nullableNum = z.number().nullable().optional();
const Interval = z.tuple([z.number(), z.number()]).nullable().optional();
const TestSection = z.looseObject({
  count: z.number().int(),
  top1: nullableNum,
  top1_ci: Interval,
  top5: nullableNum,
  balanced_accuracy: nullableNum,
  macro_f1: nullableNum,
  classes_without_images: z.array(z.string()).optional(),
});
const EvalMetricsFile = z.looseObject({
  val_top1: nullableNum,
  val_top5: nullableNum,
  per_class: z.array(z.unknown()).optional(),
  confusion: z.looseObject({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) }).optional(),
  val_count: z.number().int().optional(),
  val_top1_ci: Interval,
  val_balanced_accuracy: nullableNum,
  val_macro_f1: nullableNum,
  classes_without_val: z.array(z.string()).optional(),
  selection_metric: SelectionMetric.optional(),
  selection_reason: z.string().nullable().optional(),
  best_epoch: z.number().int().nullable().optional(),
  precision: z.string().optional(),
  test: z.unknown().optional(),
});
type EvalMetricsFile = z.infer<typeof EvalMetricsFile>;
const ParityEntry = z.looseObject({
  max_abs_logit_diff: nullableNum,
  max_abs_prob_diff: z.number(),
  top1_agreement: nullableNum,
  images: z.number().int().nullable().optional(),
  inputs: z.string().nullable().optional(),
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

/**
 * Results of a finished run from its eval/, export/ and report.md; `not_found` before there are any.
 * The trainer wrote them all, so each is read capped, never through a link (container-file.ts).
 */
export async function readRunResults(folder: RunFolder): Promise<RunResults> {
  const within = folder.trainerDir;
  const evalFile = EvalMetricsFile.safeParse(await readContainerJson(folder.trainerFile('eval/metrics.json'), within));
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
  const wrongRaw = await readContainerJson(folder.trainerFile('eval/misclassified.json'), within);
  // Where the model looked on each mistake; no file (older runs, models that are not ViTs): no maps.
  const maps = await readAttentionMaps(folder.trainerFile('eval/attention.json'), within);
  const misclassified = (Array.isArray(wrongRaw) ? wrongRaw : []).flatMap((entry) => {
    const parsed = Misclassified.safeParse(entry);
    if (!parsed.success) return [];
    const { path: file, true: trueLabel, predicted, confidence } = parsed.data;
    const attention = maps.get(file);
    return [{ path: file, trueLabel, predictedLabel: predicted, confidence, ...(attention ? { attention } : {}) }];
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
    reportMarkdown: await readReport(folder),
    validation: validationScores(metrics),
    test: testScores(metrics.test),
    selection: metrics.selection_metric
      ? {
          metric: metrics.selection_metric,
          reason: metrics.selection_reason ?? null,
          bestEpoch: metrics.best_epoch ?? null,
        }
      : null,
    evalPrecision: metrics.precision ?? null,
  };
}

/** The final validation numbers; null for a metrics.json from before they were written. */
function validationScores(m: EvalMetricsFile): SplitScores | null {
  if (m.val_count === undefined) return null;
  return {
    split: 'validation',
    count: m.val_count,
    top1: m.val_top1 ?? null,
    top1Interval: m.val_top1_ci ?? null,
    top5: m.val_top5 ?? null,
    balancedAccuracy: m.val_balanced_accuracy ?? null,
    macroF1: m.val_macro_f1 ?? null,
    classesWithoutImages: m.classes_without_val ?? [],
  };
}

/** The test section (null without a test split, or when it cannot be read). */
function testScores(raw: unknown): SplitScores | null {
  const parsed = TestSection.safeParse(raw);
  if (!parsed.success) return null;
  const t = parsed.data;
  return {
    split: 'test',
    count: t.count,
    top1: t.top1 ?? null,
    top1Interval: t.top1_ci ?? null,
    top5: t.top5 ?? null,
    balancedAccuracy: t.balanced_accuracy ?? null,
    macroF1: t.macro_f1 ?? null,
    classesWithoutImages: t.classes_without_images ?? [],
  };
}

/** report.md as text; empty when missing; a refused one (a link, too big) says so in its place. */
async function readReport(folder: RunFolder): Promise<string> {
  try {
    return (await readContainerText(folder.trainerFile('report.md'), folder.trainerDir, CAPS.report)) ?? '';
  } catch (error) {
    if (isUnsafeFile(error)) return `_${(error as Error).message}_\n`;
    return '';
  }
}

async function readExports(folder: RunFolder): Promise<RunResults['exports']> {
  const dir = folder.trainerFile('export');
  // Regular files of a real folder only: a link planted as export/ or in it is not a model to list.
  if (!(await fs.lstat(dir).catch(() => null))?.isDirectory()) return [];
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  const parity = (await readContainerJson(path.join(dir, 'parity.json'), folder.trainerDir)) as Record<
    string,
    unknown
  > | null;
  return names
    .filter((name) => !name.startsWith('.') && name !== 'parity.json')
    .sort()
    .map((name) => {
      const format = FORMATS[path.extname(name)] ?? (path.extname(name).slice(1) || 'file');
      const entry = format === 'json' ? undefined : parity?.[format];
      // Older trainers wrote one number per format (max |Δ probability| on random inputs).
      const check = ParityEntry.safeParse(entry);
      const numbers = check.success
        ? {
            maxAbsLogitDiff: check.data.max_abs_logit_diff ?? null,
            maxAbsProbDiff: check.data.max_abs_prob_diff,
            top1Agreement: check.data.top1_agreement ?? null,
            images: check.data.images ?? null,
            inputs: check.data.inputs ?? null,
          }
        : null;
      return {
        format,
        path: path.join(dir, name),
        parityMaxAbsDiff: numbers ? numbers.maxAbsProbDiff : typeof entry === 'number' ? entry : null,
        parity: numbers,
      };
    });
}
