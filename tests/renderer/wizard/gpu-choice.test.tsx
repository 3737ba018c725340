import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunEstimate } from '../../../electron/contract';
import { TrainStep } from '../../../renderer/src/wizard/review/TrainStep';
import { SettingsStep } from '../../../renderer/src/wizard/settings/SettingsStep';
import { DEFAULT_DRAFT } from '../../../renderer/src/wizard/settings/settings-draft';
import type { WizardState } from '../../../renderer/src/wizard/wizard-state';
import { createFakeApi } from '../fake-studio-api';
import { recordedGpuSamples, recordedGpus } from '../nvidia-smi-samples';
import { imageReady, models, scanClean } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(resetWizardTestState);

// tests/fixtures/nvidia-smi/four-gpus-one-busy: the real H100 recording copied to four GPUs, GPU 2 loaded.
const VARIANT = 'four-gpus-one-busy';
const gpus = recordedGpus(VARIANT);
const machine = { gpuReady: true, cpuFallback: true, imageReady: true, gpuNames: gpus.map((g) => g.name), gpus };
const chosen: Partial<WizardState> = { datasetPath: scanClean.root, scan: scanClean, machine };
const estimate = RunEstimate.parse({ seconds: 754, memoryGiB: 6.1, explanation: 'From 270 images.' });

function setup(initial: Partial<WizardState> = chosen, samples = recordedGpuSamples(VARIANT, 'telemetry-once.csv')) {
  const api = createFakeApi({
    'models.list': () => models,
    'runs.estimate': () => estimate,
    'telemetry.recent': () => samples,
    'image.status': () => imageReady,
  });
  renderStep(<SettingsStep />, { api, initial });
  return api;
}

const box = (group: HTMLElement, index: number) =>
  within(group).getByRole('checkbox', { name: `GPU ${index}: NVIDIA H100 80GB HBM3 (80 GiB)` });

describe('GPU choice (four recorded H100s, GPU 2 used by another program)', () => {
  test('lists each GPU with its memory and current use; the busy one is flagged and not chosen by default', async () => {
    const api = setup();
    const group = await screen.findByRole('group', { name: 'GPUs' });
    await waitFor(() =>
      expect(box(group, 2)).toHaveAccessibleDescription(
        'in use by another program — left out (97 % busy, 21 GiB used)',
      ),
    );
    expect(box(group, 0)).toHaveAccessibleDescription('idle (0 % busy, 0 GiB used)');
    await waitFor(() => expect(box(group, 2)).not.toBeChecked());
    for (const i of [0, 1, 3]) expect(box(group, i)).toBeChecked();
    expect(group).toHaveAccessibleDescription(/The run trains on GPUs 0, 1, 3\./);
    await waitFor(() => expect(api.inputsOf('runs.estimate').at(-1)?.settings.gpuIds).toEqual(['0', '1', '3']));
    const facts = within(group).getByLabelText('What the GPU choice means');
    expect(facts).toHaveTextContent('GPUs3');
    // 216 training images over 3 GPUs: 72 each, the automatic rule's 16 (at least 30 steps an epoch).
    expect(facts).toHaveTextContent('Batch per GPUautomatic: 16 (216 training images shared by 3 GPUs');
    expect(facts).toHaveTextContent('Global batch3 × 16 = 48 images per step');
    expect(facts).toHaveTextContent('4.3e-5 (1e-4 × √(48 / 256), scaled with the global batch — lower if');
    // The rule names its source, and how it differs from the paper's.
    expect(facts).toHaveTextContent(
      'The trainer’s rule (recipe.py): square root of the batch; the DeiT paper scales linearly (5e-4 × batch / 512)',
    );
  });

  test('keyboard: Tab reaches the boxes, Space ticks the busy GPU, which is then named as in use', async () => {
    const user = userEvent.setup();
    const api = setup({ ...chosen, draft: { ...DEFAULT_DRAFT, batchMode: 'fixed', batchSize: '64' } });
    const group = await screen.findByRole('group', { name: 'GPUs' });
    await waitFor(() => expect(box(group, 2)).not.toBeChecked());
    box(group, 1).focus();
    await user.tab();
    expect(box(group, 2)).toHaveFocus();
    await user.keyboard(' ');
    expect(box(group, 2)).toBeChecked();
    expect(group).toHaveAccessibleDescription(/all 4 GPUs\. GPU 2 is in use by another program/);
    const facts = within(group).getByLabelText('What the GPU choice means');
    expect(facts).toHaveTextContent('Batch per GPU64');
    expect(facts).toHaveTextContent('4 × 64 = 256 images per step');
    expect(facts).toHaveTextContent('1e-4 (1e-4 × √(256 / 256), scaled with the global batch)');
    await waitFor(() => expect(api.inputsOf('runs.estimate').at(-1)?.settings.gpuIds).toEqual(['0', '1', '2', '3']));
    // Fewer GPUs, smaller global batch, smaller learning rate (square-root rule of recipe.py).
    await user.click(box(group, 0));
    await user.click(box(group, 1));
    await user.click(box(group, 3));
    expect(facts).toHaveTextContent('1 × 64 = 64 images per step');
    expect(facts).toHaveTextContent('5e-5 (1e-4 × √(64 / 256)');
    // The last GPU cannot be unticked: a run needs one.
    expect(box(group, 2)).toBeDisabled();
    expect(group).toHaveAccessibleDescription(/GPU 2\. .*At least one GPU stays chosen/);
  });

  test('live samples update the readings without flicker (peak of the last 10 s); the user’s choice is not redone', async () => {
    const user = userEvent.setup();
    const api = setup();
    const group = await screen.findByRole('group', { name: 'GPUs' });
    await waitFor(() => expect(box(group, 2)).not.toBeChecked());
    await user.click(box(group, 2));
    // A pause between bursts 4 s after the 97 % reading: the figures stay at the window's peak.
    const pause = recordedGpuSamples(VARIANT, 'telemetry-stream-load.csv', 5_000)[1]!;
    act(() => api.emit('gpu.sample', pause));
    await waitFor(() =>
      expect(box(group, 2)).toHaveAccessibleDescription('in use by another program (97 % busy, 21 GiB used)'),
    );
    // More than 10 s later the burst has left the window; the memory still flags it.
    act(() => api.emit('gpu.sample', { ...pause, time: 20_000 }));
    await waitFor(() =>
      expect(box(group, 2)).toHaveAccessibleDescription('in use by another program (0 % busy, 21 GiB used)'),
    );
    expect(box(group, 2)).toBeChecked();
  });

  test('does not offer the unchosen GPUs to another run when the only one left out is busy', async () => {
    setup();
    const group = await screen.findByRole('group', { name: 'GPUs' });
    await waitFor(() => expect(box(group, 2)).not.toBeChecked());
    expect(group).toHaveAccessibleDescription(/The run trains on GPUs 0, 1, 3\./);
    expect(group).not.toHaveAccessibleDescription(/Another run can use the others/);
  });

  test('with no readings (telemetry not there) every GPU is chosen and says its use is unknown', async () => {
    setup({ ...chosen, scan: null }, []);
    const group = await screen.findByRole('group', { name: 'GPUs' });
    for (const i of [0, 1, 2, 3]) expect(box(group, i)).toBeChecked();
    expect(box(group, 0)).toHaveAccessibleDescription('current use not known yet');
    expect(group).toHaveAccessibleDescription(/all 4 GPUs/);
    // No scan yet: the automatic batch cannot be worked out, the rule is said instead.
    const facts = within(group).getByLabelText('What the GPU choice means');
    expect(facts).toHaveTextContent('Global batch4 × the batch per GPU');
    expect(facts).toHaveTextContent('scales with the global batch: 1e-4 × √(global batch / 256)');
  });

  test('the review step names the chosen GPUs', async () => {
    const api = createFakeApi({
      'models.list': () => models,
      'runs.estimate': () => estimate,
      'image.status': () => imageReady,
    });
    renderStep(<TrainStep />, { api, initial: { ...chosen, draft: { ...DEFAULT_DRAFT, gpuIds: ['0', '3'] } } });
    expect(
      await screen.findByText('2 GPUs: GPU 0 (NVIDIA H100 80GB HBM3), GPU 3 (NVIDIA H100 80GB HBM3)'),
    ).toBeInTheDocument();
  });
});
