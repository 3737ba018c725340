import type { DatasetWarning, SkipCode } from '../../contract';
import { EXAMPLES, SMALL_SIDE } from './class-tally';
import type { DuplicateFindings } from './find-duplicates';

/** A class with fewer images than this (but at least one) is "tiny". */
export const TINY_CLASS = 10;
/** Largest class over smallest class above this ratio is a "strong imbalance". */
export const IMBALANCE_RATIO = 10;
/** Fewer images than this in all is "few images". */
export const FEW_IMAGES = 100;

/** What the warnings are decided from; everything a scan found, already counted. */
export interface WarningFacts {
  layout: 'split' | 'class-folders';
  /** "val" or "validation" for the split layout. */
  valFolder: string | null;
  classes: Array<{ name: string; train: number; val: number }>;
  /** Left-out entries other than hidden files, which are expected and not worth a warning. */
  skipped: { count: number; byCode: Array<{ code: SkipCode; count: number }>; examples: string[] };
  smallImages: { count: number; examples: string[] };
  duplicates: DuplicateFindings;
}

const SKIP_WORDS: Record<SkipCode, [one: string, many: string]> = {
  hidden: ['hidden', 'hidden'],
  not_image: ['not an image', 'not images'],
  wrong_extension: ['with the wrong extension', 'with the wrong extension'],
  corrupt: ['damaged', 'damaged'],
  truncated: ['cut off', 'cut off'],
  too_large: ['too large', 'too large'],
  empty: ['empty', 'empty'],
  unreadable: ['unreadable', 'unreadable'],
  broken_link: ['a broken link', 'broken links'],
  link_loop: ['a link loop', 'link loops'],
  not_in_class: ['outside a class folder', 'outside class folders'],
  unused_folder: ['an unused folder', 'unused folders'],
};

/** The warnings a user can act on, blockers first, each with a plain message and a fix. Pure. */
export function datasetWarnings(facts: WarningFacts): DatasetWarning[] {
  const warnings: DatasetWarning[] = [];
  const add = (w: Omit<DatasetWarning, 'severity' | 'examples'> & Partial<DatasetWarning>) =>
    warnings.push({ severity: 'warning', examples: [], ...w });
  const { classes, duplicates } = facts;
  const total = classes.reduce((sum, c) => sum + c.train + c.val, 0);
  const trainTotal = classes.reduce((sum, c) => sum + c.train, 0);
  const valName = `${facts.valFolder ?? 'val'}/`;

  if (total === 0 || trainTotal === 0) {
    add({
      code: 'no_images',
      severity: 'blocker',
      count: 0,
      message:
        total === 0 ? 'No usable images were found in the class folders.' : 'There are no usable images in train/.',
      fix: 'Put JPEG, PNG, BMP, GIF, WebP or TIFF images into one sub-folder per class. The list of left-out files says why files were not used.',
    });
  } else {
    const learnable = classes.filter((c) => c.train > 0);
    if (learnable.length < 2) {
      add({
        code: 'one_class',
        severity: 'blocker',
        count: learnable.length,
        examples: learnable.map((c) => c.name),
        message: `Only one class has training images (“${learnable[0]?.name}”). A classifier needs at least two.`,
        fix: 'Add a second class folder with images.',
      });
    }
  }
  if (duplicates.acrossClasses.length > 0) {
    const sets = duplicates.acrossClasses;
    add({
      code: 'duplicates_across_classes',
      count: sets.flat().length,
      examples: examplesOf(sets),
      message: `${n(sets.flat().length)} identical images appear in more than one class (${n(sets.length)} ${plural(sets.length, 'set')}), e.g. ${pair(sets[0]!)}. One picture cannot have two labels.`,
      fix: 'Keep each picture in one class only: delete the copies from the wrong class.',
    });
  }
  if (duplicates.acrossSplit.length > 0) {
    const sets = duplicates.acrossSplit;
    const files = sets.flat().length;
    add({
      code: 'duplicates_across_split',
      count: files,
      examples: examplesOf(sets),
      message:
        facts.layout === 'split'
          ? `${n(files)} images are identical between train/ and ${valName} (e.g. ${pair(sets[0]!)}), which makes validation accuracy look better than it is.`
          : `${n(files)} images have an identical copy in the same class (e.g. ${pair(sets[0]!)}). The automatic split may put one copy in training and the other in validation, which makes validation accuracy look better than it is.`,
      fix: facts.layout === 'split' ? `Delete the copies from ${valName}.` : 'Delete the extra copies.',
    });
  }
  addClassWarnings(facts, total, add);
  if (total > 0 && total < FEW_IMAGES) {
    add({
      code: 'few_images',
      count: total,
      message: `Only ${n(total)} images in all. Fine-tuning can work with little data, but expect results to vary from run to run.`,
      fix: 'Add images if you can: 50 or more per class is a good start.',
    });
  }
  if (facts.smallImages.count > 0) {
    const k = facts.smallImages.count;
    add({
      code: 'small_images',
      count: k,
      examples: facts.smallImages.examples,
      message: `${n(k)} ${plural(k, 'image is', 'images are')} smaller than ${SMALL_SIDE} pixels on the shorter side. Training enlarges every image to 224×224 pixels, so these come out blurry.`,
      fix: 'Use larger originals if you have them; if the pictures are small by nature (icons, crops), this is fine.',
    });
  }
  if (facts.skipped.count > 0) {
    const k = facts.skipped.count;
    const parts = facts.skipped.byCode
      .filter((b) => b.code !== 'hidden')
      .map((b) => `${n(b.count)} ${SKIP_WORDS[b.code][b.count === 1 ? 0 : 1]}`);
    add({
      code: 'skipped_files',
      count: k,
      examples: facts.skipped.examples,
      message: `${n(k)} ${plural(k, 'file is', 'files are')} left out: ${parts.join(', ')}.`,
      fix: 'Left-out files are not used for training. If some should be, fix them: convert them to JPEG or PNG, copy damaged files again, or move images into a class folder. The list says why each was left out.',
    });
  }
  return warnings;
}

type Add = (w: Omit<DatasetWarning, 'severity' | 'examples'> & Partial<DatasetWarning>) => void;

function addClassWarnings(facts: WarningFacts, total: number, add: Add): void {
  const split = facts.layout === 'split';
  const valName = `${facts.valFolder ?? 'val'}/`;
  const size = (c: { train: number; val: number }) => c.train + c.val;
  const classWarning = (
    list: Array<{ name: string; train: number; val: number }>,
    message: (names: string) => string,
    fix: string,
    code: DatasetWarning['code'] = 'empty_class',
  ) => {
    if (list.length === 0) return;
    const names =
      list
        .slice(0, EXAMPLES)
        .map((c) => `“${c.name}”`)
        .join(', ') + (list.length > EXAMPLES ? ` and ${n(list.length - EXAMPLES)} more` : '');
    add({
      code,
      count: list.length,
      examples: list.slice(0, EXAMPLES).map((c) => c.name),
      message: message(names),
      fix,
    });
  };
  if (total === 0) return;
  classWarning(
    facts.classes.filter((c) => size(c) === 0),
    (names) =>
      `Class folders without usable images: ${names}. Each folder is a class the model can predict, so it needs images.`,
    'Add images to them, or move the folders out of the dataset folder.',
  );
  classWarning(
    facts.classes.filter((c) => size(c) > 0 && c.train === 0),
    (names) => `No training images in: ${names}, so the model cannot learn them.`,
    split
      ? `Move some of their images from ${valName} into train/.`
      : 'Lower the validation share, or add images to them.',
  );
  if (split) {
    classWarning(
      facts.classes.filter((c) => c.train > 0 && c.val === 0),
      (names) => `No images in ${valName} for: ${names}, so accuracy on them cannot be measured.`,
      `Move about one in five of their images from train/ into ${valName}.`,
    );
  }
  classWarning(
    facts.classes.filter((c) => size(c) > 0 && size(c) < TINY_CLASS),
    (names) => `Classes with fewer than ${TINY_CLASS} images: ${names}.`,
    'Add images to them (50 or more per class works well), or merge or remove them.',
    'tiny_class',
  );
  const filled = facts.classes.filter((c) => size(c) > 0);
  if (filled.length >= 2) {
    const largest = filled.reduce((a, b) => (size(b) > size(a) ? b : a));
    const smallest = filled.reduce((a, b) => (size(b) < size(a) ? b : a));
    const ratio = size(largest) / size(smallest);
    if (ratio > IMBALANCE_RATIO) {
      const small = filled.filter((c) => size(c) * IMBALANCE_RATIO < size(largest));
      add({
        code: 'imbalance',
        count: small.length,
        examples: small.slice(0, EXAMPLES).map((c) => c.name),
        message: `The classes are very unequal: “${largest.name}” has ${n(size(largest))} images, “${smallest.name}” only ${n(size(smallest))} (${Math.round(ratio)}×). The model will lean towards the large classes.`,
        fix: 'Add images to the small classes if you can; otherwise judge the results by per-class recall, not overall accuracy.',
      });
    }
  }
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function plural(k: number, one: string, many = `${one}s`): string {
  return k === 1 ? one : many;
}

function pair(paths: string[]): string {
  return paths.length > 2 ? `${paths[0]}, ${paths[1]} …` : paths.join(' and ');
}

function examplesOf(sets: string[][]): string[] {
  return sets.flat().slice(0, EXAMPLES);
}
