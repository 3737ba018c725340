import { RunSettings } from '../../../electron/contract';
import { checkDraft, DEFAULT_DRAFT, type DraftContext } from '../../../renderer/src/wizard/settings/settings-draft';

const context: DraftContext = { datasetPath: '/data/birds', valRatio: 0.25, device: 'gpu', modelImgSize: 224 };

describe('checkDraft (the settings form against the contract’s RunSettings)', () => {
  test('the defaults are valid and equal the contract’s own defaults', () => {
    const { settings, fieldErrors, otherErrors } = checkDraft(DEFAULT_DRAFT, context);
    expect(fieldErrors).toEqual({});
    expect(otherErrors).toEqual([]);
    expect(settings).toEqual(
      RunSettings.parse({ datasetPath: '/data/birds', valRatio: 0.25, modelId: 'deit_small_patch16_224' }),
    );
  });

  test('text becomes the contract’s types: empty learning rate is automatic, compile on/off, patience', () => {
    const { settings } = checkDraft(
      {
        ...DEFAULT_DRAFT,
        name: '  birds  ',
        learningRate: ' 5e-4 ',
        batchMode: 'fixed',
        batchSize: '128',
        compile: 'off',
        earlyStopping: true,
        earlyStoppingPatience: '3',
        imgSize: '',
        gpuIds: ['1'],
      },
      { ...context, modelImgSize: 384 },
    );
    expect(settings).toMatchObject({
      name: 'birds',
      learningRate: 0.0005,
      batchSize: 128,
      compile: false,
      earlyStoppingPatience: 3,
      imgSize: 384, // the model's own size when the field is empty
      gpuIds: ['1'],
    });
  });

  test('each invalid field gets its own plain sentence; nothing is silently dropped', () => {
    const { settings, fieldErrors } = checkDraft(
      {
        ...DEFAULT_DRAFT,
        epochs: 'ten',
        batchMode: 'fixed',
        batchSize: '0',
        learningRate: '-1',
        imgSize: '250',
        seed: '1.5',
        earlyStopping: true,
        earlyStoppingPatience: '',
      },
      context,
    );
    expect(settings).toBeNull();
    expect(Object.keys(fieldErrors).sort()).toEqual([
      'batchSize',
      'earlyStoppingPatience',
      'epochs',
      'imgSize',
      'learningRate',
      'seed',
    ]);
    expect(fieldErrors.imgSize).toBe(
      'Enter a multiple of 16 from 16 to 1024 (for example 224 or 384), or leave it empty.',
    );
  });

  test('a missing dataset is reported for the other step, not as a field', () => {
    const { fieldErrors, otherErrors } = checkDraft(DEFAULT_DRAFT, { ...context, datasetPath: null });
    expect(fieldErrors).toEqual({});
    expect(otherErrors).toEqual(['Choose a dataset folder on the Dataset step.']);
  });

  test('layer-wise lr decay is a number above 0 and at most 1; class balance passes through', () => {
    expect(checkDraft(DEFAULT_DRAFT, context).settings).toMatchObject({ layerDecay: 0.75, classBalance: 'none' });
    const on = checkDraft({ ...DEFAULT_DRAFT, layerDecay: '1', classBalance: 'weights' }, context);
    expect(on.settings).toMatchObject({ layerDecay: 1, classBalance: 'weights' });
    for (const bad of ['0', '1.2', 'x', '']) {
      const { settings, fieldErrors } = checkDraft({ ...DEFAULT_DRAFT, layerDecay: bad }, context);
      expect(settings).toBeNull();
      expect(fieldErrors.layerDecay).toMatch(/above 0 and at most 1/);
    }
  });

  test('in CPU mode GPU choices are not sent', () => {
    const { settings } = checkDraft({ ...DEFAULT_DRAFT, gpuIds: ['0'] }, { ...context, device: 'cpu' });
    expect(settings).toMatchObject({ device: 'cpu', gpuIds: [] });
  });
});
