import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunEstimate, type ImportedWeights, type RunSettings, type WeightsStatus } from '../../../electron/contract';
import { SettingsStep } from '../../../renderer/src/wizard/settings/SettingsStep';
import type { WizardState } from '../../../renderer/src/wizard/wizard-state';
import { createFakeApi, failWith } from '../fake-studio-api';
import { models, scanClean } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(() => {
  delete window.deitStudio;
  resetWizardTestState();
});

const chosen: Partial<WizardState> = {
  datasetPath: scanClean.root,
  scan: scanClean,
  machine: { gpuReady: true, cpuFallback: true, imageReady: true, gpuNames: ['NVIDIA H100'], gpus: [] },
};

const imported: ImportedWeights = {
  modelId: 'deit_small_patch16_224',
  file: 'deit_small.safetensors',
  sha256: 'ab'.repeat(32),
  bytes: 88_000_000,
  format: 'safetensors',
  importedAt: '2026-01-01T00:00:00Z',
};

function setup() {
  let status: WeightsStatus = { modelId: 'deit_small_patch16_224', imported: null, downloaded: false };
  const api = createFakeApi({
    'models.list': () => models,
    'runs.estimate': () => RunEstimate.parse({ seconds: 60, memoryGiB: 4, explanation: 'x' }),
    'weights.status': () => status,
    'weights.import': ({ file }) => {
      if (file.includes('small')) {
        status = { ...status, imported };
        return imported;
      }
      return failWith(
        'validation',
        'deit_tiny.safetensors does not fit deit_small_patch16_224: 150 weights have another shape (for example cls_token is 1×1×192 in the file but 1×1×384 in this model).',
        'It fits deit_tiny_patch16_224: choose that model, then import it again.',
      );
    },
    'weights.removeImported': () => {
      status = { ...status, imported: null };
      return { removed: true };
    },
  });
  renderStep(<SettingsStep />, { api, initial: chosen });
  return api;
}

async function openAdvanced(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: /Advanced settings/ }));
}

describe('Starting weights (Settings → Advanced)', () => {
  test('Import weights… from the keyboard: a typed path is checked by the core and then named as in use', async () => {
    const user = userEvent.setup();
    const api = setup();
    await openAdvanced(user);
    expect(screen.getByRole('radio', { name: /Pretrained on ImageNet/ })).toBeChecked();
    expect(await screen.findByText(/downloaded from the Hugging Face hub when the first run starts/)).toBeVisible();
    const field = screen.getByRole('textbox', { name: 'Weights file (.safetensors or .pth)' });
    expect(field).toHaveAccessibleDescription(/never changes your file/);
    expect(screen.queryByRole('button', { name: 'Browse…' })).not.toBeInTheDocument(); // serve mode: a server path
    const importButton = screen.getByRole('button', { name: 'Import weights…' });
    expect(importButton).toBeDisabled();
    await user.type(field, '~/Downloads/deit_small.safetensors{Enter}');
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Imported deit_small.safetensors: it fits deit_small_patch16_224.',
    );
    expect(api.requests.find((r) => r.name === 'weights.import')?.input).toEqual({
      modelId: 'deit_small_patch16_224',
      file: '~/Downloads/deit_small.safetensors',
    });
    expect(await screen.findByText(/start from your imported file/)).toHaveTextContent(
      'deit_small.safetensors (88 MB, sha256 abababababab…)',
    );
    await user.click(screen.getByRole('button', { name: /Use the Hugging Face hub’s weights instead/ }));
    expect(await screen.findByText(/downloaded from the Hugging Face hub/)).toBeVisible();
    expect(api.requests.some((r) => r.name === 'weights.removeImported')).toBe(true);
  });

  test('a file of another model is refused with the plain reason and the way forward', async () => {
    const user = userEvent.setup();
    setup();
    await openAdvanced(user);
    await user.type(screen.getByRole('textbox', { name: /Weights file/ }), '/data/deit_tiny.safetensors');
    await user.click(screen.getByRole('button', { name: 'Import weights…' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('does not fit deit_small_patch16_224');
    expect(alert).toHaveTextContent('cls_token is 1×1×192 in the file but 1×1×384 in this model');
    expect(alert).toHaveTextContent('It fits deit_tiny_patch16_224');
  });

  test('the desktop app offers the native file dialog, limited to weights files', async () => {
    const user = userEvent.setup();
    const api = setup().answer({ 'dialog.pickFile': () => ({ path: '/home/me/deit_small.safetensors' }) });
    window.deitStudio = { call: api.call.bind(api), on: api.on.bind(api), pathForFile: () => '' };
    await openAdvanced(user);
    await user.click(await screen.findByRole('button', { name: 'Browse…' }));
    expect(screen.getByRole('textbox', { name: /Weights file/ })).toHaveValue('/home/me/deit_small.safetensors');
    expect(api.requests.find((r) => r.name === 'dialog.pickFile')?.input).toMatchObject({
      extensions: ['safetensors', 'pth', 'pt', 'bin'],
    });
  });

  test('from scratch is a visible choice with a plain warning; the run asks for no pretrained weights', async () => {
    const user = userEvent.setup();
    const api = setup();
    await openAdvanced(user);
    const group = screen.getByRole('group', { name: 'Starting weights' });
    within(group)
      .getByRole('radio', { name: /Pretrained on ImageNet/ })
      .focus();
    await user.keyboard('{ArrowDown}'); // the browser's own radio keys
    expect(within(group).getByRole('radio', { name: /From scratch/ })).toBeChecked();
    const warning = screen.getByRole('note');
    expect(warning).toHaveTextContent('On a small dataset, training from scratch gives a much weaker model.');
    expect(warning).toHaveTextContent('5 warmup epochs');
    expect(screen.queryByRole('textbox', { name: /Weights file/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Advanced settings/ })).toHaveTextContent('(1 changed)');
    await waitFor(() => {
      const last = api.requests.filter((r) => r.name === 'runs.estimate').at(-1)?.input as
        { settings: RunSettings } | undefined;
      expect(last?.settings.pretrained).toBe(false);
    });
  });
});
