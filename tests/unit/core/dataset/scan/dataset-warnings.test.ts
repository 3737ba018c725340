import { describe, expect, it } from 'vitest';
import { datasetWarnings, type WarningFacts } from '../../../../../electron/core/dataset/scan/dataset-warnings';

const facts = (over: Partial<WarningFacts>): WarningFacts => ({
  layout: 'class-folders',
  trainFolder: null,
  valFolder: null,
  classes: [
    { name: 'a', train: 80, val: 20 },
    { name: 'b', train: 80, val: 20 },
  ],
  emptyClasses: [],
  unknownValClasses: [],
  skipped: { count: 0, total: 0, byCode: [], examples: [] },
  smallImages: { count: 0, examples: [] },
  duplicates: { acrossClasses: [], acrossSplit: [] },
  nested: [],
  ...over,
});
const codes = (f: WarningFacts) => datasetWarnings(f).map((w) => w.code);

describe('datasetWarnings', () => {
  it('a healthy dataset has none', () => {
    expect(datasetWarnings(facts({}))).toEqual([]);
  });

  it('no images at all, or only one class with images, are blockers and come first', () => {
    const none = datasetWarnings(facts({ classes: [], emptyClasses: ['a'] }));
    expect(none.map((w) => [w.code, w.severity])).toEqual([
      ['no_images', 'blocker'],
      ['empty_class', 'warning'],
    ]);
    const one = datasetWarnings(facts({ classes: [{ name: 'a', train: 80, val: 20 }], emptyClasses: ['b'] }));
    expect(one[0]).toMatchObject({ code: 'one_class', severity: 'blocker', examples: ['a'] });
    expect(one[1]).toMatchObject({ code: 'empty_class', examples: ['b'] });
    expect(one[1]!.message).toContain('not used as classes');
  });

  it('a tiny class (under 10) and a strong imbalance (over 10×), naming the classes', () => {
    const warnings = datasetWarnings(
      facts({
        classes: [
          { name: 'big', train: 800, val: 200 },
          { name: 'mid', train: 90, val: 10 },
          { name: 'tiny', train: 7, val: 2 },
        ],
      }),
    );
    expect(warnings.map((w) => w.code)).toEqual(['tiny_class', 'imbalance']);
    expect(warnings[0]!.message).toBe('Classes with fewer than 10 images: “tiny” (9).');
    expect(warnings[1]!.message).toContain('“big” has 1,000 images, “tiny” only 9 (111×)');
    expect(warnings[1]!.examples).toEqual(['tiny']);
  });

  it('exactly 10× is not yet an imbalance, and exactly 10 images is not tiny', () => {
    const even = facts({
      classes: [
        { name: 'a', train: 80, val: 20 },
        { name: 'b', train: 8, val: 2 },
      ],
    });
    expect(codes(even)).toEqual([]);
  });

  it('few images overall (under 100)', () => {
    const few = facts({
      classes: [
        { name: 'a', train: 40, val: 9 },
        { name: 'b', train: 40, val: 10 },
      ],
    });
    expect(datasetWarnings(few)).toMatchObject([{ code: 'few_images', count: 99 }]);
  });

  it('split layout: a class without val images, one without train images, and val/ classes train/ lacks', () => {
    const warnings = datasetWarnings(
      facts({
        layout: 'split',
        trainFolder: 'train',
        valFolder: 'validation',
        classes: [
          { name: 'a', train: 80, val: 20 },
          { name: 'b', train: 80, val: 0 },
          { name: 'c', train: 0, val: 30 },
        ],
        unknownValClasses: ['d'],
      }),
    );
    expect(warnings.map((w) => [w.code, w.examples])).toEqual([
      ['val_class_unknown', ['d']],
      ['empty_class', ['c']],
      ['empty_class', ['b']],
    ]);
    expect(warnings[0]!.message).toContain('validation/');
    expect(warnings[2]!.message).toContain('validation/');
  });

  it('split layout without a single training image: a blocker', () => {
    const warnings = datasetWarnings(
      facts({ layout: 'split', trainFolder: 'train', valFolder: 'val', classes: [{ name: 'a', train: 0, val: 5 }] }),
    );
    expect(warnings[0]).toMatchObject({
      code: 'no_images',
      severity: 'blocker',
      message: 'There are no usable images in train/.',
    });
  });

  it('skipped files: one count of every left-out entry (as skipped.json), raised by those that are not hidden files or empty class folders', () => {
    const [w] = datasetWarnings(
      facts({
        skipped: {
          count: 3,
          total: 44,
          byCode: [
            { code: 'hidden', count: 40 },
            { code: 'corrupt', count: 2 },
            { code: 'not_image', count: 1 },
            { code: 'empty_class', count: 1 },
          ],
          examples: ['a/x.jpg'],
        },
      }),
    );
    expect(w).toMatchObject({ code: 'skipped_files', count: 44, examples: ['a/x.jpg'] });
    expect(w!.message).toBe(
      '44 files are left out: 40 hidden or system files, 2 damaged, 1 not an image, 1 class folder without usable images.',
    );
    // Only hidden files: left out without a warning (the list is still offered).
    const hiddenOnly = { count: 0, total: 5, byCode: [{ code: 'hidden' as const, count: 5 }], examples: [] };
    expect(codes(facts({ skipped: hiddenOnly }))).toEqual([]);
  });

  it('sub-folders merged into a class: listed with their class and image count', () => {
    const nested = [
      { folder: 'cats/indoor/', className: 'cats', images: 12 },
      { folder: 'cats/outdoor/', className: 'cats', images: 1 },
    ];
    const [w] = datasetWarnings(facts({ nested }));
    expect(w).toMatchObject({ code: 'nested_folders', count: 2, examples: ['cats/indoor/', 'cats/outdoor/'] });
    expect(w!.message).toBe(
      'Images in sub-folders count in the class folder above them: cats/indoor/ (12 images in “cats”), cats/outdoor/ (1 image in “cats”).',
    );
  });

  it('duplicates in a split dataset point at the validation folder', () => {
    const [w] = datasetWarnings(
      facts({
        layout: 'split',
        trainFolder: 'train',
        valFolder: 'val',
        duplicates: { acrossClasses: [], acrossSplit: [['train/a/1.png', 'val/a/1.png']] },
      }),
    );
    expect(w).toMatchObject({ code: 'duplicates_across_split', count: 2, fix: 'Delete the copies from val/.' });
  });
});
