import { INITIAL_WIZARD_STATE } from '../../../renderer/src/wizard/wizard-state';
import { clearWizardState, loadWizardState, saveWizardState } from '../../../renderer/src/wizard/wizard-storage';
import { scanClean } from './fixtures';

const KEY = 'deit-studio.wizard.v1';

afterEach(clearWizardState);

describe('wizard storage (sessionStorage)', () => {
  test('what is saved comes back', () => {
    const state = { ...INITIAL_WIZARD_STATE, datasetPath: '/data/birds', scan: scanClean, device: 'cpu' as const };
    saveWizardState(state);
    expect(loadWizardState(INITIAL_WIZARD_STATE)).toEqual(state);
  });

  test('unreadable storage gives a fresh wizard', () => {
    sessionStorage.setItem(KEY, '{not json');
    expect(loadWizardState(INITIAL_WIZARD_STATE)).toEqual(INITIAL_WIZARD_STATE);
  });

  test('a part that no longer matches the contract is dropped, the rest kept', () => {
    sessionStorage.setItem(
      KEY,
      JSON.stringify({ datasetPath: '/data/birds', scan: { root: '/data/birds', classes: 'old format' }, valRatio: 7 }),
    );
    const state = loadWizardState(INITIAL_WIZARD_STATE);
    expect(state.datasetPath).toBe('/data/birds');
    expect(state.scan).toBeNull(); // the dataset step scans again
    expect(state.valRatio).toBe(0.2);
  });

  test('a scan too large for sessionStorage is left out; its folder is kept', () => {
    const classes = Array.from({ length: 20_000 }, (_, i) => ({
      name: `class-${i}`,
      train: 8,
      val: 2,
      samples: [`class-${i}/a.jpg`, `class-${i}/b.jpg`],
    }));
    saveWizardState({ ...INITIAL_WIZARD_STATE, datasetPath: '/data/huge', scan: { ...scanClean, classes } });
    const state = loadWizardState(INITIAL_WIZARD_STATE);
    expect(state.datasetPath).toBe('/data/huge');
    expect(state.scan).toBeNull();
  });
});
