import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DatasetScan, RunEstimate } from '../../../electron/contract';
import { SettingsStep } from '../../../renderer/src/wizard/settings/SettingsStep';
import { draftDefaultsFor, rebaseDraft, toDraftDefaults } from '../../../renderer/src/wizard/settings/draft-defaults';
import { DEFAULT_DRAFT } from '../../../renderer/src/wizard/settings/settings-draft';
import type { WizardState } from '../../../renderer/src/wizard/wizard-state';
import { createFakeApi } from '../fake-studio-api';
import { models, scanClean } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(resetWizardTestState);

const digits = DatasetScan.parse({ ...scanClean, root: '/data/digits', typicalSize: { width: 8, height: 8 } });
const photos = DatasetScan.parse({ ...scanClean, typicalSize: { width: 500, height: 375 } });
const cpuEstimate = RunEstimate.parse({
  seconds: 150,
  memoryGiB: null,
  explanation: 'About 3 minutes, estimated from timing a few training steps of DeiT-Ti at 32 px on this processor.',
});
const noGpu = { gpuReady: false, cpuFallback: true, imageReady: true, gpuNames: [], gpus: [] };
const h100 = {
  gpuReady: true,
  cpuFallback: true,
  imageReady: true,
  gpuNames: ['NVIDIA H100'],
  gpus: [{ index: 0, name: 'NVIDIA H100', memoryMiB: 81559 }],
};

function setup(initial: Partial<WizardState>) {
  const api = createFakeApi({ 'models.list': () => models, 'runs.estimate': () => cpuEstimate });
  renderStep(<SettingsStep />, { api, initial });
  return api;
}

const training = () => screen.getByRole('region', { name: 'Training' });

describe('Settings on the processor', () => {
  test('start from DeiT-Ti, the pictures’ size rounded up to 16 (at least 32) and few epochs', async () => {
    const api = setup({ device: 'cpu', machine: noGpu, datasetPath: digits.root, scan: digits });
    const tiny = await screen.findByRole('radio', { name: 'DeiT-Ti' });
    await waitFor(() => expect(tiny).toBeChecked());
    expect(
      within(screen.getByRole('group', { name: 'Model' }))
        .getByText('Recommended')
        .closest('label'),
    ).toBe(tiny.closest('label'));
    expect(screen.getByRole('textbox', { name: 'Epochs' })).toHaveValue('5');
    // The image size is under Training, not hidden in Advanced.
    const size = within(training()).getByRole('textbox', { name: 'Image size (pixels)' });
    expect(size).toHaveValue('32');
    expect(size).toHaveAccessibleDescription(/multiple of 16 \(the model cuts images into 16×16 patches\)/);
    expect(size).toHaveAccessibleDescription(/Your pictures are about 8×8 pixels: 32 suits them/);
    await waitFor(() =>
      expect(api.inputsOf('runs.estimate').at(-1)?.settings).toMatchObject({
        modelId: 'deit_tiny_patch16_224',
        imgSize: 32,
        epochs: 5,
        device: 'cpu',
      }),
    );
    // The estimate is shown before Start.
    const estimate = screen.getByRole('region', { name: 'Estimate' });
    await waitFor(() => expect(estimate).toHaveTextContent(/Time: about 2 min 30 s \(estimated on this processor\)/));
    expect(estimate).toHaveTextContent(/estimated from timing a few training steps/);
    await userEvent.setup().click(screen.getByRole('button', { name: /Advanced settings/ }));
    expect(
      within(screen.getByRole('region', { name: /Advanced settings/ })).queryByRole('textbox', {
        name: 'Image size (pixels)',
      }),
    ).toBeNull();
  });

  test('the model cards show the chosen image size, not the model’s own', async () => {
    setup({ device: 'cpu', machine: noGpu, datasetPath: digits.root, scan: digits });
    const tiny = await screen.findByRole('radio', { name: 'DeiT-Ti' });
    await waitFor(() => expect(tiny).toHaveAccessibleDescription(/Images: 32 px \(made for 224\)/));
    const user = userEvent.setup();
    const size = within(training()).getByRole('textbox', { name: 'Image size (pixels)' });
    await user.clear(size);
    await user.type(size, '64');
    expect(tiny).toHaveAccessibleDescription(/Images: 64 px \(made for 224\)/);
    await user.clear(size);
    expect(tiny).toHaveAccessibleDescription(/Images: 224 px/); // empty: the model's own
  });

  test('the image-size field suggests the size for the pictures and takes it with one button', async () => {
    setup({ device: 'cpu', machine: noGpu, datasetPath: digits.root, scan: digits });
    const user = userEvent.setup();
    const size = await within(training()).findByRole('textbox', { name: 'Image size (pixels)' });
    await waitFor(() => expect(size).toHaveValue('32'));
    expect(within(training()).queryByRole('button', { name: 'Use 32' })).toBeNull(); // already chosen
    await user.clear(size);
    await user.type(size, '40');
    expect(size).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText(/Enter a multiple of 16/)).toBeInTheDocument();
    await user.click(within(training()).getByRole('button', { name: 'Use 32' }));
    expect(size).toHaveValue('32');
    expect(size).not.toHaveAttribute('aria-invalid');
  });

  test('large photos keep the model’s own size on the processor (224), still with DeiT-Ti', async () => {
    setup({ device: 'cpu', machine: noGpu, datasetPath: photos.root, scan: photos });
    await waitFor(() => expect(screen.getByRole('radio', { name: 'DeiT-Ti' })).toBeChecked());
    const size = within(training()).getByRole('textbox', { name: 'Image size (pixels)' });
    expect(size).toHaveValue('224');
    expect(size).toHaveAccessibleDescription(/about 500×375 pixels: the model’s own size suits them/);
  });
});

describe('Settings on a GPU', () => {
  test('keep DeiT-S at its own size for 10 epochs; the image size stays in Advanced, with the same hint', async () => {
    setup({ machine: h100, datasetPath: digits.root, scan: digits });
    expect(await screen.findByRole('radio', { name: 'DeiT-S' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'DeiT-S' })).toHaveAccessibleDescription(/Images: 224 px/);
    expect(screen.getByRole('textbox', { name: 'Epochs' })).toHaveValue('10');
    expect(within(training()).queryByRole('textbox', { name: 'Image size (pixels)' })).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: /Advanced settings/ }));
    const size = screen.getByRole('textbox', { name: 'Image size (pixels)' });
    expect(size).toHaveValue('');
    expect(size).toHaveAccessibleDescription(/about 8×8 pixels: 32 suits them/);
    expect(screen.getByRole('button', { name: 'Use 32' })).toBeInTheDocument();
  });
});

describe('rebaseDraft (defaults follow the machine and the pictures, choices stay)', () => {
  const gpu = toDraftDefaults({ modelId: 'deit_small_patch16_224', epochs: 10, imgSize: null });
  const cpuDigits = draftDefaultsFor('cpu', { width: 8, height: 8 });

  test('fields still at the old defaults take the new ones', () => {
    expect(cpuDigits).toEqual({ modelId: 'deit_tiny_patch16_224', epochs: '5', imgSize: '32' });
    expect(rebaseDraft(DEFAULT_DRAFT, gpu, cpuDigits)).toMatchObject(cpuDigits);
  });

  test('values the user chose stay', () => {
    const mine = { ...DEFAULT_DRAFT, epochs: '3', modelId: 'deit_base_patch16_224' as const };
    expect(rebaseDraft(mine, gpu, cpuDigits)).toMatchObject({
      modelId: 'deit_base_patch16_224',
      epochs: '3',
      imgSize: '32',
    });
  });

  test('back on a GPU the processor defaults are undone, and the draft is otherwise untouched', () => {
    const onCpu = rebaseDraft({ ...DEFAULT_DRAFT, seed: '7' }, gpu, cpuDigits);
    expect(rebaseDraft(onCpu, cpuDigits, gpu)).toEqual({ ...DEFAULT_DRAFT, seed: '7' });
  });
});
