import type { ComparedRun, ResolvedSettings, RunSettings } from '@contract';
import { folderName, formatCount, formatPercent } from '../../components/format';
import { modelName } from '../run-labels';

/**
 * What the comparison view says about runs' settings and data, as plain functions (unit-tested):
 * each setting in a researcher's words, which ones differ from the baseline run, and whether the runs
 * were trained and scored on the same images.
 */

/** One row of the settings table: a name and each run's value as words. */
export interface SettingRow {
  key: string;
  label: string;
  values: string[];
  /** Per run: its value differs from the baseline run's. */
  differs: boolean[];
  /** Some run differs from the baseline. */
  anyDiffers: boolean;
}

/** A setting in words; `r` is what the run actually used, where the trainer decided it (null fields: not known). */
type Describe = (s: RunSettings, r: ResolvedSettings) => string;

const UNKNOWN: ResolvedSettings = {
  batchSize: null,
  learningRate: null,
  layerDecay: null,
  precision: null,
  compile: null,
};

/** "asked → used" when the trainer resolved the setting to something else, else the one value. */
function asked(requested: string, used: string | null): string {
  return used === null || used === requested ? requested : `${requested} → ${used}`;
}

/** Why the trainer turned layer-wise lr decay off although the run asked for it (train.py: only for pretrained, trained backbones). */
function decayOffWhy(s: RunSettings): string {
  if (s.freezeBackbone) return ' (frozen backbone)';
  if (!s.pretrained && !s.initFromRunId) return ' (from scratch)';
  return '';
}

const decay = (v: number) => (v === 1 ? 'off' : String(v));
const onOff = (v: boolean) => (v ? 'on' : 'off');

const AUGMENT: Record<RunSettings['augment'], string> = {
  light: 'light',
  standard: 'standard',
  strong: 'strong (adds mixup and cutmix)',
};

/** The settings a researcher compares, in the order the wizard asks them. */
export const SETTING_ROWS: ReadonlyArray<[keyof RunSettings | string, string, Describe]> = [
  // The image size has its own row: the model's name alone (the id's "224" is the size its weights were made for).
  ['modelId', 'Model', (s) => `${modelName(s.modelId)} (${s.modelId})`],
  ['imgSize', 'Image size', (s) => `${s.imgSize} px`],
  [
    'weights',
    'Starting weights',
    (s) =>
      s.initFromRunId ? `run ${s.initFromRunId}’s best model` : s.pretrained ? 'pretrained' : 'none — from scratch',
  ],
  ['epochs', 'Epochs', (s) => formatCount(s.epochs)],
  [
    'batchSize',
    'Batch size',
    (s, r) =>
      asked(
        s.batchSize === 'auto' ? 'automatic' : String(s.batchSize),
        r.batchSize === null ? null : String(r.batchSize),
      ),
  ],
  [
    'learningRate',
    'Learning rate',
    (s, r) =>
      s.learningRate === null
        ? r.learningRate === null
          ? 'automatic (scaled to the batch)'
          : `automatic → ${formatLr(r.learningRate)} (scaled to the batch)`
        : asked(formatLr(s.learningRate), r.learningRate === null ? null : formatLr(r.learningRate)),
  ],
  ['augment', 'Augmentation', (s) => AUGMENT[s.augment]],
  ['freezeBackbone', 'Backbone', (s) => (s.freezeBackbone ? 'frozen (only the head trains)' : 'trained')],
  [
    'layerDecay',
    'Layer-wise lr decay',
    (s, r) =>
      r.layerDecay === null || r.layerDecay === s.layerDecay
        ? decay(s.layerDecay)
        : `${decay(s.layerDecay)} → ${decay(r.layerDecay)}${r.layerDecay === 1 ? decayOffWhy(s) : ''}`,
  ],
  ['ema', 'Weight average (EMA)', (s) => (s.ema ? 'on' : 'off')],
  ['classBalance', 'Class balance', (s) => (s.classBalance === 'weights' ? 'loss weighted by class' : 'none')],
  [
    'earlyStoppingPatience',
    'Early stopping',
    (s) => (s.earlyStoppingPatience === null ? 'off' : `after ${s.earlyStoppingPatience} epochs without gain`),
  ],
  ['precision', 'Precision', (s, r) => asked(s.precision === 'auto' ? 'automatic' : s.precision, r.precision)],
  [
    'compile',
    'Compile',
    (s, r) =>
      asked(s.compile === 'auto' ? 'automatic' : onOff(s.compile), r.compile === null ? null : onOff(r.compile)),
  ],
  ['seed', 'Training seed', (s) => String(s.seed)],
  [
    'device',
    'Trained on',
    (s) => (s.device === 'cpu' ? 'the processor' : s.gpuIds.length ? `GPU ${s.gpuIds.join(', ')}` : 'all GPUs'),
  ],
  ['datasetPath', 'Dataset folder', (s) => s.datasetPath],
  ['valRatio', 'Validation share', (s) => formatPercent(s.valRatio, 0)],
];

/** A learning rate to three significant digits: 0.00012500000001 → "0.000125". */
export function formatLr(lr: number): string {
  return String(Number(lr.toPrecision(3)));
}

/** Every setting for every run, with what differs from `runs[baseline]`. */
export function settingRows(runs: readonly ComparedRun[], baseline: number): SettingRow[] {
  return SETTING_ROWS.map(([key, label, describe]) => {
    const values = runs.map((run) => describe(run.settings, run.resolved ?? UNKNOWN));
    const base = values[baseline];
    const differs = values.map((value, i) => i !== baseline && value !== base);
    return { key: String(key), label, values, differs, anyDiffers: differs.some(Boolean) };
  });
}

/** Why runs' numbers are not measured on the same images: one plain sentence per difference (empty when they are). */
export function dataMismatches(runs: readonly ComparedRun[], baseline: number): string[] {
  const base = runs[baseline];
  if (!base) return [];
  const out: string[] = [];
  for (const run of runs) {
    if (run === base) continue;
    const a = base.data;
    const b = run.data;
    const name = `“${run.name}”`;
    if (a.datasetPath !== b.datasetPath) {
      out.push(`${name} trained on another folder (${folderName(b.datasetPath)}, not ${folderName(a.datasetPath)}).`);
      continue; // the rest follows from it
    }
    if (a.valRatio !== b.valRatio) {
      out.push(
        `${name} held back ${formatPercent(b.valRatio, 0)} of the images for validation, the baseline ${formatPercent(a.valRatio, 0)}: they were scored on different images.`,
      );
    }
    if (a.splitSeed !== null && b.splitSeed !== null && a.splitSeed !== b.splitSeed) {
      out.push(
        `${name} split the images with another seed (${b.splitSeed}, not ${a.splitSeed}): other validation images.`,
      );
    }
    if (a.splitFrom !== b.splitFrom) {
      out.push(
        b.splitFrom
          ? `${name} kept the split of the run it started from (${b.splitFrom}); the baseline drew its own.`
          : `The baseline kept the split of the run it started from (${a.splitFrom ?? ''}); ${name} drew its own.`,
      );
    }
    if (base.headline && run.headline && base.headline.split !== run.headline.split) {
      out.push(
        `${name}’s final numbers are on its ${run.headline.split} images, the baseline’s on its ${base.headline.split} images.`,
      );
    }
  }
  return out;
}

/** The change of `value` against the baseline's, in percentage points ("+2.1 pp"); '' when either is unknown. */
export function deltaPoints(value: number | null | undefined, base: number | null | undefined): string {
  if (value === null || value === undefined || base === null || base === undefined) return '';
  const d = (value - base) * 100;
  if (Math.abs(d) < 0.05) return '±0.0 pp';
  return `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} pp`;
}
