import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunEstimate, type ModelCard } from '../../../electron/contract';
import { SettingsStep } from '../../../renderer/src/wizard/settings/SettingsStep';
import type { WizardState } from '../../../renderer/src/wizard/wizard-state';
import { createFakeApi, deferred, failWith } from '../fake-studio-api';
import { models, scanClean } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(resetWizardTestState);

const estimate = RunEstimate.parse({
  seconds: 754,
  memoryGiB: 6.1,
  explanation: '270 images × 10 epochs on the H100.',
});

const chosen: Partial<WizardState> = {
  datasetPath: scanClean.root,
  scan: scanClean,
  machine: {
    gpuReady: true,
    cpuFallback: true,
    imageReady: true,
    gpuNames: ['NVIDIA H100'],
    gpus: [{ index: 0, name: 'NVIDIA H100', memoryMiB: 81559 }],
  },
};

function setup(initial: Partial<WizardState> = chosen) {
  const api = createFakeApi({ 'models.list': () => models, 'runs.estimate': () => estimate });
  renderStep(<SettingsStep />, { api, initial });
  return api;
}

function next() {
  return screen.getByRole('button', { name: /Next: Review/ });
}

describe('Settings step', () => {
  test('while models load it says so; a failure shows the typed error with its fix', async () => {
    const pending = deferred<ModelCard[]>();
    const api = createFakeApi({ 'models.list': () => pending.promise });
    renderStep(<SettingsStep />, { api, initial: chosen });
    expect(screen.getByText('Loading the models…')).toBeInTheDocument();
    cleanup();

    const failing = createFakeApi({
      'models.list': () => failWith('internal', 'The model list could not be read.', 'Reinstall DeiT Studio.'),
    });
    renderStep(<SettingsStep />, { api: failing, initial: chosen });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The model list could not be read.');
    expect(alert).toHaveTextContent('Reinstall DeiT Studio.');
  });

  test('an empty model list says what to do', async () => {
    const api = createFakeApi({ 'models.list': () => [] });
    renderStep(<SettingsStep />, { api, initial: chosen });
    expect(await screen.findByText(/No models are available/)).toBeInTheDocument();
  });

  test('models are plain cards with size, expected speed on this GPU and memory; DeiT-S is the default', async () => {
    setup();
    const group = await screen.findByRole('group', { name: 'Model' });
    const small = within(group).getByRole('radio', { name: 'DeiT-S' });
    expect(small).toBeChecked();
    expect(small).toHaveAccessibleDescription(/22\.1 M parameters/);
    expect(small).toHaveAccessibleDescription(/≈ 7,750 images\/s on the NVIDIA H100/);
    expect(small).toHaveAccessibleDescription(/≈ 4\.5 GiB at batch 64/);
    expect(within(group).getByRole('radio', { name: 'DeiT-B 384' })).toHaveAccessibleDescription(
      /Speed unknown on this machine/,
    );
    expect(within(group).getByText('Recommended')).toBeInTheDocument();
  });

  test('arrow keys move the model choice, and the estimate follows (with the model’s image size)', async () => {
    const user = userEvent.setup();
    const api = setup();
    const small = await screen.findByRole('radio', { name: 'DeiT-S' });
    small.focus();
    await user.keyboard('{ArrowDown}');
    const big = screen.getByRole('radio', { name: 'DeiT-B 384' });
    expect(big).toBeChecked();
    expect(big).toHaveFocus();
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(screen.getByRole('radio', { name: 'DeiT-Ti' })).toBeChecked();
    await user.keyboard('{ArrowUp}'); // wraps around, like every radio group
    expect(big).toBeChecked();
    await waitFor(() => expect(api.inputsOf('runs.estimate').at(-1)?.settings.modelId).toBe('deit_base_patch16_384'));
    expect(api.inputsOf('runs.estimate').at(-1)?.settings.imgSize).toBe(384);
  });

  test('an invalid value is marked in place, explained, and holds Next back', async () => {
    const user = userEvent.setup();
    setup();
    const epochs = await screen.findByRole('textbox', { name: 'Epochs' });
    await user.clear(epochs);
    await user.type(epochs, '0');
    expect(epochs).toHaveAttribute('aria-invalid', 'true');
    expect(epochs).toHaveAccessibleDescription(/Enter a whole number of epochs from 1 to 1000\./);
    expect(next()).toHaveAttribute('aria-disabled', 'true');
    expect(next()).toHaveAccessibleDescription('Fix the setting marked in red.');
    expect(screen.getByText('Fix the settings marked above to see an estimate.')).toBeInTheDocument();
    await user.type(epochs, '5');
    expect(epochs).not.toHaveAttribute('aria-invalid');
    expect(next()).not.toHaveAttribute('aria-disabled');
  });

  test('a fixed batch size is checked with the contract’s limits', async () => {
    const user = userEvent.setup();
    setup();
    const size = await screen.findByRole('textbox', { name: 'Batch size' });
    expect(size).toBeDisabled(); // Auto is the default
    await user.click(screen.getByRole('radio', { name: 'Fixed:' }));
    await user.clear(size);
    await user.type(size, '5000');
    expect(size).toHaveAttribute('aria-invalid', 'true');
    expect(size).toHaveAccessibleDescription(/from 1 to 4096, or choose Auto/);
  });

  test('the estimate is asked for once typing pauses, and shown', async () => {
    const user = userEvent.setup();
    const api = setup();
    expect(await screen.findByText('about 12 min 34 s')).toBeInTheDocument();
    expect(screen.getByText('≈ 6.1 GiB')).toBeInTheDocument();
    expect(screen.getByText('270 images × 10 epochs on the H100.')).toBeInTheDocument();
    const epochs = screen.getByRole('textbox', { name: 'Epochs' });
    await user.clear(epochs);
    await user.type(epochs, '25');
    await waitFor(() => expect(api.inputsOf('runs.estimate').at(-1)?.settings.epochs).toBe(25));
    // Debounced: the first render, then one for "25" — not one per keystroke ("", "2", "25").
    expect(api.inputsOf('runs.estimate')).toHaveLength(2);
  });

  test('without a dataset the estimate says why it is missing', async () => {
    const api = setup({});
    await screen.findByRole('radio', { name: 'DeiT-S' });
    expect(screen.getByText(/Choose a dataset first/)).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 600));
    expect(api.inputsOf('runs.estimate')).toHaveLength(0);
  });

  test('on a machine with two GPUs the run can use one of them; by default it uses all', async () => {
    const user = userEvent.setup();
    const twoGpus = [
      { index: 0, name: 'NVIDIA H100', memoryMiB: 81559 },
      { index: 1, name: 'NVIDIA H100', memoryMiB: 81559 },
    ];
    const api = setup({ ...chosen, machine: { ...chosen.machine!, gpus: twoGpus } });
    const group = await screen.findByRole('group', { name: 'GPUs' });
    expect(group).toHaveAccessibleDescription('The run trains on all 2 GPUs.');
    await user.click(within(group).getByRole('checkbox', { name: 'GPU 0: NVIDIA H100 (80 GiB)' }));
    expect(group).toHaveAccessibleDescription(/The run trains on GPU 1\. Another run can use the others/);
    await waitFor(() => expect(api.inputsOf('runs.estimate').at(-1)?.settings.gpuIds).toEqual(['1']));
  });

  test('with one GPU there is nothing to choose', async () => {
    setup();
    await screen.findByRole('radio', { name: 'DeiT-S' });
    expect(screen.queryByRole('group', { name: 'GPUs' })).not.toBeInTheDocument();
  });

  test('CPU mode is labelled slow on the step and on the cards', async () => {
    setup({ ...chosen, device: 'cpu' });
    expect(await screen.findByText('CPU mode (slow).')).toBeInTheDocument();
    expect(await screen.findByRole('radio', { name: 'DeiT-S' })).toHaveAccessibleDescription(/Much slower on the CPU/);
  });
});

describe('Advanced settings', () => {
  test('open and close from the keyboard; each field has its default and a one-line explanation', async () => {
    const user = userEvent.setup();
    setup();
    const toggle = await screen.findByRole('button', { name: /Advanced settings/ });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).toHaveTextContent('(all defaults)');
    expect(screen.queryByRole('textbox', { name: 'Learning rate' })).not.toBeInTheDocument();
    toggle.focus();
    await user.keyboard('{Enter}');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const lr = screen.getByRole('textbox', { name: 'Learning rate' });
    expect(lr).toHaveAccessibleDescription(/Leave empty to scale it to the batch size/);
    expect(lr).toHaveAccessibleDescription(/1e-4 × √\(batch \/ 256\).*the DeiT paper scales linearly/);
    expect(screen.getByRole('combobox', { name: 'Precision' })).toHaveValue('auto');
    expect(screen.getByRole('checkbox', { name: /frozen backbone/ })).not.toBeChecked();
    expect(screen.getByRole('textbox', { name: 'Random seed' })).toHaveValue('0');
    // Tab goes from the toggle straight into the panel.
    await user.tab();
    expect(lr).toHaveFocus();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Precision' }), 'bf16');
    expect(toggle).toHaveTextContent('(1 changed)');
    toggle.focus();
    await user.keyboard(' ');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
  });

  test('layer-wise lr decay and class balance are in the panel, with their defaults and what they do', async () => {
    const user = userEvent.setup();
    setup();
    const toggle = await screen.findByRole('button', { name: /Advanced settings/ });
    await user.click(toggle);
    const decay = screen.getByRole('textbox', { name: 'Layer-wise learning-rate decay' });
    expect(decay).toHaveValue('0.75');
    expect(decay).toHaveAccessibleDescription(/Early layers of the pretrained model change less.*1 turns it off/);
    const balance = screen.getByRole('combobox', { name: 'Balance the classes' });
    expect(balance).toHaveValue('none');
    expect(balance).toHaveAccessibleDescription(/fewer images/);
    await user.selectOptions(balance, 'weights');
    await user.clear(decay);
    await user.type(decay, '1');
    expect(toggle).toHaveTextContent('(2 changed)');
    await user.clear(decay);
    await user.type(decay, '0');
    expect(decay).toHaveAttribute('aria-invalid', 'true');
  });

  test('an invalid advanced value keeps the panel open and is explained', async () => {
    const user = userEvent.setup();
    setup();
    await user.click(await screen.findByRole('button', { name: /Advanced settings/ }));
    const lr = screen.getByRole('textbox', { name: 'Learning rate' });
    await user.type(lr, '2');
    expect(lr).toHaveAttribute('aria-invalid', 'true');
    expect(lr).toHaveAccessibleDescription(/positive number up to 1/);
    await user.click(screen.getByRole('button', { name: /Advanced settings/ }));
    expect(lr).toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: /Stop early/ }));
    const patience = screen.getByRole('textbox', { name: /Epochs without improvement/ });
    await user.clear(patience);
    await user.type(patience, '1.5');
    expect(patience).toHaveAttribute('aria-invalid', 'true');
    expect(next()).toHaveAccessibleDescription('Fix the 2 settings marked in red.');
  });
});
