import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunEstimate, type RunSummary } from '../../../electron/contract';
import { TrainStep } from '../../../renderer/src/wizard/review/TrainStep';
import { DEFAULT_DRAFT } from '../../../renderer/src/wizard/settings/settings-draft';
import type { WizardState } from '../../../renderer/src/wizard/wizard-state';
import { createFakeApi, deferred, failWith } from '../fake-studio-api';
import { createdRun, imageMissing, imageReady, models, scanClean, scanWithWarnings } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(resetWizardTestState);

const ready: Partial<WizardState> = {
  machine: {
    gpuReady: true,
    cpuFallback: true,
    imageReady: true,
    gpuNames: ['NVIDIA H100'],
    gpus: [{ index: 0, name: 'NVIDIA H100', memoryMiB: 81559 }],
  },
  datasetPath: scanClean.root,
  scan: scanClean,
};

function fakeApi() {
  return createFakeApi({
    'models.list': () => models,
    'image.status': () => imageReady,
    'runs.estimate': () => RunEstimate.parse({ seconds: 754, memoryGiB: 6.1, explanation: 'From 270 images.' }),
    'runs.create': () => createdRun(),
  });
}

function setup(initial: Partial<WizardState> = ready) {
  const api = fakeApi();
  renderStep(<TrainStep />, { api, initial });
  return api;
}

function start() {
  return screen.getByRole('button', { name: 'Start training' });
}

describe('Review and start', () => {
  test('summarises machine, dataset and settings, each with a link to change it', async () => {
    setup({
      ...ready,
      scan: scanWithWarnings,
      datasetPath: scanWithWarnings.root,
      draft: { ...DEFAULT_DRAFT, precision: 'bf16' },
    });
    const machine = screen.getByRole('region', { name: 'Machine' });
    expect(machine).toHaveTextContent('The GPU: NVIDIA H100');
    const dataset = screen.getByRole('region', { name: 'Dataset' });
    expect(dataset).toHaveTextContent('/data/messy');
    expect(dataset).toHaveTextContent('274 in 4 classes');
    expect(dataset).toHaveTextContent('20 % of each class, chosen automatically');
    expect(dataset).toHaveTextContent('2 warnings');
    expect(within(dataset).getByRole('link', { name: 'Change dataset' })).toHaveAttribute('href', '#/new/dataset');
    const settings = screen.getByRole('region', { name: 'Settings' });
    expect(await within(settings).findByText(/DeiT-S \(DeiT, 22\.1 M parameters\)/)).toBeInTheDocument();
    // the trainer's batch rule on the 219 training images: 16 (its floor), 14 steps per epoch
    expect(settings).toHaveTextContent(
      'auto: up to 16, fewer if GPU memory is smaller; the smallest automatic batch (219 training images) — 14 steps per epoch, 140 in all at 16',
    );
    expect(settings).toHaveTextContent('Precision: bf16');
    expect(await screen.findByText('about 12 min 34 s')).toBeInTheDocument();
  });

  test('says the image size once, in its own row, not again under Advanced', async () => {
    setup({ ...ready, draft: { ...DEFAULT_DRAFT, imgSize: '32', fromScratch: true } });
    const settings = screen.getByRole('region', { name: 'Settings' });
    await within(settings).findByText(/DeiT-S \(DeiT/);
    expect(within(settings).getAllByText(/32 px/)).toHaveLength(1);
    expect(settings).toHaveTextContent('Starting weights: none — trained from scratch');
  });

  test('Start creates the run with the chosen settings and opens its dashboard', async () => {
    const user = userEvent.setup();
    const api = setup();
    await user.type(screen.getByRole('textbox', { name: 'Run name (optional)' }), 'birds first try');
    await waitFor(() => expect(start()).not.toHaveAttribute('aria-disabled'));
    await user.click(start());
    await waitFor(() => expect(window.location.hash).toBe('#/runs/run-20250501-1'));
    expect(api.inputsOf('runs.create')).toEqual([
      {
        settings: expect.objectContaining({
          name: 'birds first try',
          datasetPath: '/data/birds',
          valRatio: 0.2,
          modelId: 'deit_small_patch16_224',
          epochs: 10,
          batchSize: 'auto',
          imgSize: 224,
          device: 'gpu',
        }),
      },
    ]);
  });

  test('while starting the button says so', async () => {
    const user = userEvent.setup();
    const api = setup();
    const pending = deferred<RunSummary>();
    api.answer({ 'runs.create': () => pending.promise });
    await waitFor(() => expect(start()).not.toHaveAttribute('aria-disabled'));
    await user.click(start());
    expect(screen.getByRole('button', { name: 'Starting…' })).toHaveAttribute('aria-disabled', 'true');
    await act(async () => pending.resolve(createdRun('r2')));
    expect(window.location.hash).toBe('#/runs/r2');
  });

  test('a start that fails shows the typed error, its fix, and where to fix it', async () => {
    const user = userEvent.setup();
    const api = setup();
    api.answer({
      'runs.create': () =>
        failWith('gpu_unavailable', 'The GPU is not reachable from Docker any more.', 'Check the Environment step.'),
    });
    await waitFor(() => expect(start()).not.toHaveAttribute('aria-disabled'));
    await user.click(start());
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The GPU is not reachable from Docker any more.');
    expect(alert).toHaveTextContent('Check the Environment step.');
    await user.click(screen.getByRole('button', { name: 'Go to Environment' }));
    expect(window.location.hash).toBe('#/new/environment');
  });

  test('what is missing is listed with links, and Start does nothing until it is done', async () => {
    const user = userEvent.setup();
    const api = setup({});
    const list = screen.getByText('Before training can start:').closest('div')!;
    expect(list).toHaveTextContent('Check this machine on the Environment step.');
    expect(list).toHaveTextContent('Choose and scan your image folder on the Dataset step.');
    expect(within(list).getByRole('link', { name: 'Go to Dataset' })).toHaveAttribute('href', '#/new/dataset');
    expect(start()).toHaveAttribute('aria-disabled', 'true');
    await user.click(start());
    expect(api.inputsOf('runs.create')).toHaveLength(0);
  });

  test('an image that is no longer ready is caught before starting', async () => {
    const api = fakeApi();
    api.answer({ 'image.status': () => imageMissing });
    renderStep(<TrainStep />, { api, initial: ready });
    expect(await screen.findByText(/Prepare the training image on the Environment step/)).toBeInTheDocument();
    expect(start()).toHaveAttribute('aria-disabled', 'true');
  });

  test('CPU mode is stated and sent as the device', async () => {
    const user = userEvent.setup();
    const api = setup({
      ...ready,
      device: 'cpu',
      machine: { gpuReady: false, cpuFallback: true, imageReady: true, gpuNames: [], gpus: [] },
    });
    expect(screen.getByRole('region', { name: 'Machine' })).toHaveTextContent('CPU mode (slow)');
    await waitFor(() => expect(start()).not.toHaveAttribute('aria-disabled'));
    // 216 training images: the rule's choice is exact on the CPU (no memory probe there); the
    // processor's defaults: DeiT-Ti for 5 epochs (processor-defaults.ts)
    expect(screen.getByRole('region', { name: 'Settings' })).toHaveTextContent(
      'auto: 16, the smallest automatic batch (216 training images) — 14 steps per epoch, 70 in all',
    );
    await waitFor(() => expect(screen.getByRole('region', { name: 'Settings' })).toHaveTextContent('DeiT-Ti'));
    await user.click(start());
    await waitFor(() => expect(api.inputsOf('runs.create')[0]?.settings.device).toBe('cpu'));
  });

  test('a run name that is too long is rejected in place', async () => {
    const user = userEvent.setup();
    setup();
    const name = screen.getByRole('textbox', { name: 'Run name (optional)' });
    await user.click(name);
    await user.paste('x'.repeat(121));
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription(/at most 120 characters/);
    expect(start()).toHaveAttribute('aria-disabled', 'true');
  });
});
