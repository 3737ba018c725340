import { act, screen, within } from '@testing-library/react';
import { DatasetScan, type SimilarImages } from '../../../electron/contract';
import { DatasetStep } from '../../../renderer/src/wizard/dataset/DatasetStep';
import { createFakeApi, deferred, failWith } from '../fake-studio-api';
import { scanWithWarnings } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(() => {
  resetWizardTestState();
  delete window.deitStudio;
});

const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const found: SimilarImages = {
  root: '/data/messy',
  pairs: [{ a: 'finch/001.jpg', b: 'owl/a.png', classA: 'finch', classB: 'owl', distance: 2 }],
  pairsTotal: 1,
  compared: 273,
  notCompared: { unsupported: 1, undecodable: 0, plain: 0 },
  durationMs: 40,
};

/** The messy scan with sub-folders merged into a class, as the core reports them. */
const scanNested = DatasetScan.parse({
  ...scanWithWarnings,
  warnings: [
    ...scanWithWarnings.warnings,
    {
      code: 'nested_folders',
      severity: 'warning',
      count: 1,
      message: 'Images in sub-folders count in the class folder above them: finch/2019/ (12 images in “finch”).',
      fix: 'Nothing to do if these folders only sort the images of a class.',
      examples: ['finch/2019/'],
    },
  ],
});

function api(similar: () => SimilarImages | Promise<SimilarImages>) {
  return createFakeApi({
    'dataset.similar': similar,
    'dataset.thumbnail': () => ({ mime: 'image/png', dataBase64: PIXEL }),
  });
}

describe('Dataset step: near-duplicates, sub-folders and the left-out count', () => {
  test('the near-duplicate check runs after the scan with progress, then shows each pair with both previews', async () => {
    const pending = deferred<SimilarImages>();
    const fake = api(() => pending.promise);
    renderStep(<DatasetStep />, { api: fake, initial: { scan: scanWithWarnings, datasetPath: '/data/messy' } });
    const panel = screen.getByRole('region', { name: 'Near-duplicates across classes' });
    expect(fake.inputsOf('dataset.similar')).toEqual([{ path: '/data/messy' }]);
    act(() => fake.emit('dataset.similarProgress', { root: '/data/messy', done: 120, total: 274 }));
    expect(within(panel).getByRole('status')).toHaveTextContent('Comparing the pictures: 120 of 274');
    // It does not hold up the next step.
    expect(screen.getByRole('button', { name: /Next: Settings/ })).not.toHaveAttribute('aria-disabled');

    await act(async () => pending.resolve(found));
    const pair = within(panel).getByRole('listitem', { name: 'finch/001.jpg and owl/a.png' });
    expect(pair).toHaveTextContent('finch');
    expect(pair).toHaveTextContent('owl');
    expect(pair).toHaveTextContent('nearly the same picture');
    expect(await within(pair).findByRole('img', { name: 'finch/001.jpg (class finch)' })).toHaveAttribute(
      'src',
      `data:image/png;base64,${PIXEL}`,
    );
    expect(await within(pair).findByRole('img', { name: 'owl/a.png (class owl)' })).toBeInTheDocument();
    expect(panel).toHaveTextContent('One pair of images in different classes shows the same picture');
    expect(panel).toHaveTextContent('273 images compared; 1 not compared: 1 BMP.');
  });

  test('none found says so; a build without the image library says the check is unavailable', async () => {
    renderStep(<DatasetStep />, {
      api: api(() => ({ ...found, pairs: [], pairsTotal: 0 })),
      initial: { scan: scanWithWarnings, datasetPath: '/data/messy' },
    });
    const panel = screen.getByRole('region', { name: 'Near-duplicates across classes' });
    expect(await within(panel).findByText(/No picture appears in two classes/)).toBeInTheDocument();
    resetWizardTestState();
    document.body.innerHTML = '';

    renderStep(<DatasetStep />, {
      api: api(() =>
        failWith('not_available', 'The near-duplicate check is not available in this build of DeiT Studio.'),
      ),
      initial: { scan: scanWithWarnings, datasetPath: '/data/messy' },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('The near-duplicate check is not available');
  });

  test('sub-folders merged into a class are a note listing them; the left-out count is one number', async () => {
    renderStep(<DatasetStep />, {
      api: api(() => found),
      initial: { scan: scanNested, datasetPath: '/data/messy' },
    });
    const warnings = screen.getByRole('list', { name: 'Dataset warnings' });
    const nested = within(warnings).getByRole('listitem', { name: 'Sub-folders counted in their class' });
    expect(nested).toHaveTextContent('iNote');
    expect(nested).toHaveTextContent('finch/2019/ (12 images in “finch”)');
    // The facts line, the warning and the list all say 3 (hidden files included, as in the trainer's skipped.json).
    expect(screen.getByLabelText('This dataset')).toHaveTextContent('(3 files left out)');
    const skipped = within(warnings).getByRole('listitem', { name: 'Some files are left out' });
    expect(skipped).toHaveTextContent('3 files are left out');
    expect(within(skipped).getByText('Show left-out files (3)')).toBeInTheDocument();
    expect(await screen.findByText(/273 images compared/)).toBeInTheDocument(); // the check settles in the test
  });
});
