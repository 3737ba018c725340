import type { DatasetWarning, SkipCode } from '../../../contract';
import { EXAMPLES, SMALL_SIDE } from './class-tally';
import type { DuplicateFindings } from './find-duplicates';
import type { NestedFolder } from './nested-folders';

/** A class with fewer images than this is "tiny". */
export const TINY_CLASS = 10;
/** Largest class over smallest class above this ratio is a "strong imbalance". */
export const IMBALANCE_RATIO = 10;
/** Fewer images than this in all is "few images". */
export const FEW_IMAGES = 100;

/** What the warnings are decided from; everything a scan found, already counted. */
export interface WarningFacts {
  layout: 'split' | 'class-folders';
  /** The split layout's folders as named on disk. */
  trainFolder: string | null;
  valFolder: string | null;
  /** The classes, each with at least one usable image. */
  classes: Array<{ name: string; train: number; val: number }>;
  /** Class folders without usable images (not classes). */
  emptyClasses: string[];
  /** Split layout: class folders in the validation folder that the training folder lacks. */
  unknownValClasses: string[];
  /**
   * Left-out entries: `total` is every one (the number shown everywhere: the scan, the trainer's
   * skipped.json, the dashboard and report.md); `count` and `examples` are those other than hidden files
   * and empty class folders, which alone call for the warning.
   */
  skipped: { count: number; total: number; byCode: Array<{ code: SkipCode; count: number }>; examples: string[] };
  smallImages: { count: number; examples: string[] };
  duplicates: DuplicateFindings;
  /** Sub-folders of class folders whose images count in that class. */
  nested: NestedFolder[];
}

// Read after a count: "1 broken link", "3 not images".
const SKIP_WORDS: Record<SkipCode, [one: string, many: string]> = {
  hidden: ['hidden or system file', 'hidden or system files'],
  not_image: ['not an image', 'not images'],
  corrupt: ['damaged', 'damaged'],
  truncated: ['cut off', 'cut off'],
  too_large: ['too large', 'too large'],
  empty: ['empty', 'empty'],
  unreadable: ['unreadable', 'unreadable'],
  broken_link: ['broken link', 'broken links'],
  link_outside: ['link leading outside the folder', 'links leading outside the folder'],
  link_not_followed: ['link to a folder', 'links to folders'],
  not_in_class: ['outside a class folder', 'outside class folders'],
  unused_folder: ['unused folder', 'unused folders'],
  empty_class: ['class folder without usable images', 'class folders without usable images'],
};

type Draft = Omit<DatasetWarning, 'severity' | 'examples'> & Partial<DatasetWarning>;

/** The warnings a user can act on, blockers first, each with a plain message and a fix. Pure. */
export function datasetWarnings(facts: WarningFacts): DatasetWarning[] {
  const warnings: DatasetWarning[] = [];
  const add = (w: Draft) => warnings.push({ severity: 'warning', examples: [], ...w });
  const { classes } = facts;
  const total = classes.reduce((sum, c) => sum + c.train + c.val, 0);
  const trainTotal = classes.reduce((sum, c) => sum + c.train, 0);
  const trainName = `${facts.trainFolder ?? 'train'}/`;
  if (total === 0 || trainTotal === 0) {
    add({
      code: 'no_images',
      severity: 'blocker',
      count: 0,
      message:
        total === 0
          ? 'No usable images were found in the class folders.'
          : `There are no usable images in ${trainName}.`,
      fix: 'Put JPEG, PNG, BMP, GIF, WebP or TIFF images into one sub-folder per class. The list of left-out files says why files were not used.',
    });
  } else if (classes.length < 2) {
    add({
      code: 'one_class',
      severity: 'blocker',
      count: classes.length,
      examples: classes.map((c) => c.name),
      message: `Only one class has images (“${classes[0]?.name}”). A classifier needs at least two.`,
      fix: 'Add a folder of images for each class you want to tell apart, e.g. cats/ and dogs/.',
    });
  }
  addDuplicateWarnings(facts, add);
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
      message: `${n(k)} ${plural(k, 'image is', 'images are')} smaller than ${SMALL_SIDE} pixels on the shorter side. Training enlarges every image to the chosen image size (224×224 pixels unless you choose less), so these come out blurry.`,
      fix: 'Use larger originals if you have them; if the pictures are small by nature (icons, scans, crops), this is fine: Settings suggests an image size that suits them.',
    });
  }
  addNestedWarning(facts.nested, add);
  if (facts.skipped.count > 0) {
    // One count everywhere: all left-out entries, as in the trainer's skipped.json, hidden ones included.
    const k = facts.skipped.total;
    const parts = facts.skipped.byCode.map((b) => `${n(b.count)} ${SKIP_WORDS[b.code][b.count === 1 ? 0 : 1]}`);
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

function addDuplicateWarnings(facts: WarningFacts, add: (w: Draft) => void): void {
  const { acrossClasses, acrossSplit } = facts.duplicates;
  if (acrossClasses.length > 0) {
    const files = acrossClasses.flat().length;
    add({
      code: 'duplicates_across_classes',
      count: files,
      examples: acrossClasses.flat().slice(0, EXAMPLES),
      message: `${n(files)} identical images appear in more than one class (${n(acrossClasses.length)} ${plural(acrossClasses.length, 'set')}), e.g. ${pair(acrossClasses[0]!)}. One picture cannot have two labels.`,
      fix: 'Keep each picture in one class only: delete the copies from the wrong class.',
    });
  }
  if (acrossSplit.length > 0) {
    const files = acrossSplit.flat().length;
    const valName = `${facts.valFolder ?? 'val'}/`;
    add({
      code: 'duplicates_across_split',
      count: files,
      examples: acrossSplit.flat().slice(0, EXAMPLES),
      message:
        facts.layout === 'split'
          ? `${n(files)} images are identical between ${facts.trainFolder ?? 'train'}/ and ${valName} (e.g. ${pair(acrossSplit[0]!)}), which makes validation accuracy look better than it is.`
          : `${n(files)} images have an identical copy in the same class (e.g. ${pair(acrossSplit[0]!)}). The automatic split may put one copy in training and the other in validation, which makes validation accuracy look better than it is.`,
      fix: facts.layout === 'split' ? `Delete the copies from ${valName}.` : 'Delete the extra copies.',
    });
  }
}

function addNestedWarning(nested: NestedFolder[], add: (w: Draft) => void): void {
  if (nested.length === 0) return;
  const listed = nested
    .slice(0, EXAMPLES)
    .map((f) => `${f.folder} (${n(f.images)} ${plural(f.images, 'image')} in “${f.className}”)`)
    .join(', ');
  const more = nested.length > EXAMPLES ? ` and ${n(nested.length - EXAMPLES)} more` : '';
  add({
    code: 'nested_folders',
    count: nested.length,
    examples: nested.slice(0, EXAMPLES).map((f) => f.folder),
    message: `Images in sub-folders count in the class folder above them: ${listed}${more}.`,
    fix: 'Nothing to do if these folders only sort the images of a class. If one is meant to be a class of its own, move it up beside the other class folders and scan again.',
  });
}

function addClassWarnings(facts: WarningFacts, total: number, add: (w: Draft) => void): void {
  const trainName = `${facts.trainFolder ?? 'train'}/`;
  const valName = `${facts.valFolder ?? 'val'}/`;
  const size = (c: { train: number; val: number }) => c.train + c.val;
  const listOf = (names: string[], label = (name: string) => `“${name}”`) =>
    names.slice(0, EXAMPLES).map(label).join(', ') +
    (names.length > EXAMPLES ? ` and ${n(names.length - EXAMPLES)} more` : '');
  const classWarning = (code: DatasetWarning['code'], names: string[], message: string, fix: string) => {
    if (names.length > 0) add({ code, count: names.length, examples: names.slice(0, EXAMPLES), message, fix });
  };
  const unknown = facts.unknownValClasses;
  classWarning(
    'val_class_unknown',
    unknown,
    `Folders in ${valName} without a matching class in ${trainName}: ${listOf(unknown)}. Their images are not used.`,
    `Rename them to match a class folder in ${trainName}, or add that class to ${trainName}.`,
  );
  classWarning(
    'empty_class',
    facts.emptyClasses,
    `Class folders without usable images: ${listOf(facts.emptyClasses)}. They are not used as classes.`,
    'Add images to them, or remove the folders. The list of left-out files says why their files were not used.',
  );
  if (total === 0) return;
  if (facts.layout === 'split') {
    const noTrain = facts.classes.filter((c) => c.train === 0).map((c) => c.name);
    classWarning(
      'empty_class',
      noTrain,
      `No training images in: ${listOf(noTrain)}, so the model cannot learn them.`,
      `Move some of their images from ${valName} into ${trainName}.`,
    );
    const noVal = facts.classes.filter((c) => c.train > 0 && c.val === 0).map((c) => c.name);
    classWarning(
      'empty_class',
      noVal,
      `No images in ${valName} for: ${listOf(noVal)}, so accuracy on them cannot be measured.`,
      `Move about one in five of their images from ${trainName} into ${valName}.`,
    );
  }
  const tiny = facts.classes.filter((c) => size(c) < TINY_CLASS);
  classWarning(
    'tiny_class',
    tiny.map((c) => c.name),
    `Classes with fewer than ${TINY_CLASS} images: ${listOf(
      tiny.map((c) => c.name),
      (name) => `“${name}” (${size(tiny.find((c) => c.name === name)!)})`,
    )}.`,
    'Add images to them (50 or more per class works well), or merge or remove them. A class of one image is used for training only.',
  );
  if (facts.classes.length >= 2) {
    const largest = facts.classes.reduce((a, b) => (size(b) > size(a) ? b : a));
    const smallest = facts.classes.reduce((a, b) => (size(b) < size(a) ? b : a));
    const ratio = size(largest) / size(smallest);
    if (ratio > IMBALANCE_RATIO) {
      const small = facts.classes.filter((c) => size(c) * IMBALANCE_RATIO < size(largest));
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
