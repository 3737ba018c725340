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
  explanation: 'Estimated from timing a few training steps of DeiT-Ti at 32 px on this processor.',
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
    expect(screen.getByRole('textbox', { name: 'Epochs' })).toHaveAccessibleDescription(
      /On the processor, a few show whether the model learns/,
    );
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
    expect(estimate).toHaveTextContent(/Estimated from timing a few training steps/);
    await userEvent.setup().click(screen.getByRole('button', { name: /Advanced settings/ }));
    expect(
      within(screen.getByRole('region', { name: /Advanced settings/ })).queryByRole('textbox', {
        name: 'Image size (pixels)',
      }),
    ).toBeNull();
  });

  test('an estimate timed on a busy processor is asked for again when the core says so', async () => {
    const api = createFakeApi({
      'models.list': () => models,
      'runs.estimate': () => ({ ...cpuEstimate, askAgainInS: 0.05 }),
    });
    renderStep(<SettingsStep />, {
      api,
      initial: { device: 'cpu', machine: noGpu, datasetPath: digits.root, scan: digits },
    });
    await waitFor(() => expect(api.inputsOf('runs.estimate').length).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    const [first, second] = api.inputsOf('runs.estimate').slice(-2);
    expect(second).toEqual(first); // the same settings, asked again
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

describe('Settings offline (no weights here, the hub unreachable)', () => {
  const offline = (downloaded: boolean, reachable: boolean) =>
    createFakeApi({
      'models.list': () => models,
      'runs.estimate': () => cpuEstimate,
      'weights.status': ({ modelId }) => ({ modelId, imported: null, downloaded }),
      'weights.hubReachable': () => ({
        reachable,
        target: 'huggingface.co:443',
        ...(reachable ? {} : { why: 'huggingface.co:443 cannot be reached: its name cannot be resolved' }),
      }),
    });

  test('the run trains from scratch, says so and why, and sends pretrained: false', async () => {
    const api = offline(false, false);
    renderStep(<SettingsStep />, {
      api,
      initial: { device: 'cpu', machine: noGpu, datasetPath: digits.root, scan: digits },
    });
    const note = await screen.findByRole('note', { name: 'Offline: this run trains from scratch.' });
    expect(note).toHaveTextContent('The pretrained weights of DeiT-Ti are not on this computer');
    expect(note).toHaveTextContent('its name cannot be resolved');
    await waitFor(() => expect(api.inputsOf('runs.estimate').at(-1)?.settings).toMatchObject({ pretrained: false }));
    // The choice is visible where it is made (Advanced → Starting weights), and can be undone there.
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /Advanced settings/ }));
    expect(screen.getByRole('radio', { name: 'From scratch (random weights)' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: /Pretrained on ImageNet/ }));
    expect(await screen.findByRole('note', { name: /cannot be downloaded from here/ })).toHaveTextContent(
      'The run would stop before training',
    );
  });

  test('weights already on this machine, or a reachable hub: pretrained, no notice', async () => {
    for (const [downloaded, reachable] of [
      [true, false],
      [false, true],
    ] as const) {
      const api = offline(downloaded, reachable);
      const { unmount } = renderStep(<SettingsStep />, {
        api,
        initial: { device: 'cpu', machine: noGpu, datasetPath: digits.root, scan: digits },
      });
      await waitFor(() => expect(api.inputsOf('weights.hubReachable').length).toBeGreaterThan(0));
      await waitFor(() => expect(api.inputsOf('runs.estimate').at(-1)?.settings).toMatchObject({ pretrained: true }));
      expect(screen.queryByRole('note', { name: /Offline/ })).toBeNull();
      unmount();
    }
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
  const gpu = toDraftDefaults({ modelId: 'deit_small_patch16_224', epochs: 10, imgSize: null, pretrained: true });
  const cpuDigits = draftDefaultsFor('cpu', { width: 8, height: 8 });

  test('fields still at the old defaults take the new ones', () => {
    expect(cpuDigits).toEqual({ modelId: 'deit_tiny_patch16_224', epochs: '5', imgSize: '32', fromScratch: false });
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

  test('offline, from scratch becomes the default; choosing pretrained again sticks', () => {
    const offline = draftDefaultsFor('cpu', { width: 8, height: 8 }, true);
    expect(offline.fromScratch).toBe(true);
    expect(rebaseDraft(DEFAULT_DRAFT, gpu, offline).fromScratch).toBe(true);
    const chosePretrained = { ...rebaseDraft(DEFAULT_DRAFT, gpu, offline), fromScratch: false };
    expect(rebaseDraft(chosePretrained, offline, cpuDigits).fromScratch).toBe(false);
  });

  test('back on a GPU the processor defaults are undone, and the draft is otherwise untouched', () => {
    const onCpu = rebaseDraft({ ...DEFAULT_DRAFT, seed: '7' }, gpu, cpuDigits);
    expect(rebaseDraft(onCpu, cpuDigits, gpu)).toEqual({ ...DEFAULT_DRAFT, seed: '7' });
  });
});
