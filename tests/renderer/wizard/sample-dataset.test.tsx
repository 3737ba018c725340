import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DatasetScan, SampleDataset } from '../../../electron/contract';
import { DatasetStep } from '../../../renderer/src/wizard/dataset/DatasetStep';
import { createFakeApi, deferred, failWith } from '../fake-studio-api';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(resetWizardTestState);

const SAMPLE_PATH = '/home/u/.local/share/deit-studio/samples/digits-63e049b6d6c7';
const sample = SampleDataset.parse({
  path: SAMPLE_PATH,
  title: 'Handwritten digits',
  description: 'Scans of handwritten digits 0–9, 8×8 pixels, one folder per digit.',
  images: 1797,
  classes: 10,
  credit: 'E. Alpaydin and C. Kaynak, Optical Recognition of Handwritten Digits (UCI), CC BY 4.0.',
});
/** What scanning the unpacked sample gives (as the core's scan of it: tests/unit/core/dataset/sample-dataset.test.ts). */
const digitsScan = DatasetScan.parse({
  root: SAMPLE_PATH,
  layout: 'class-folders',
  split: { kind: 'auto', valRatio: 0.2, trainFolder: null, valFolder: null },
  classes: Array.from({ length: 10 }, (_, d) => ({ name: String(d), train: 144, val: 36, samples: [] })),
  totalImages: 1797,
  typicalSize: { width: 8, height: 8 },
  skipped: [],
  skippedTotal: 0,
  skippedByCode: [],
  warnings: [],
  canTrain: true,
  durationMs: 90,
});

function api() {
  return createFakeApi({
    'dataset.sample': () => sample,
    'dataset.scan': () => digitsScan,
    'dataset.similar': ({ path }) => ({
      root: path,
      pairs: [],
      pairsTotal: 0,
      compared: 1797,
      notCompared: { unsupported: 0, undecodable: 0, plain: 0 },
      durationMs: 5,
    }),
  });
}

describe('Try with the sample images', () => {
  test('is offered with what the sample is and its source, before any folder is chosen', () => {
    renderStep(<DatasetStep />, { api: api() });
    const button = screen.getByRole('button', { name: 'Try with the sample images' });
    expect(button).toHaveAccessibleDescription(/1,797 scans of handwritten digits in 10 classes/);
    expect(screen.getByText(/Alpaydin and C\. Kaynak.*CC BY 4\.0/)).toBeInTheDocument();
  });

  test('with the keyboard: unpacks the sample, puts its folder in the field and scans it', async () => {
    const fake = api();
    const unpacked = deferred<SampleDataset>();
    fake.answer({ 'dataset.sample': () => unpacked.promise });
    renderStep(<DatasetStep />, { api: fake });
    const user = userEvent.setup();
    const button = screen.getByRole('button', { name: 'Try with the sample images' });
    button.focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('button', { name: 'Unpacking the sample images…' })).toBeDisabled();
    unpacked.resolve(sample);

    await waitFor(() => expect(fake.inputsOf('dataset.scan')).toEqual([{ path: SAMPLE_PATH, valRatio: 0.2 }]));
    expect(screen.getByRole('combobox', { name: 'Folder with your images' })).toHaveValue(SAMPLE_PATH);
    expect(await screen.findByText('1,797 in 10 classes')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Next: Settings/ })).not.toHaveAttribute('aria-disabled', 'true');
  });

  test('a sample that cannot be unpacked says why and what to do instead', async () => {
    const fake = api();
    fake.answer({
      'dataset.sample': () =>
        failWith(
          'not_available',
          'The sample images are not part of this installation of DeiT Studio.',
          'Reinstall DeiT Studio, or choose a folder of your own images.',
        ),
    });
    renderStep(<DatasetStep />, { api: fake });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try with the sample images' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('not part of this installation');
    expect(alert).toHaveTextContent('choose a folder of your own images');
    expect(fake.inputsOf('dataset.scan')).toEqual([]);
  });
});
