import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EngineEntry, RunEstimate } from '../../../electron/contract';
import { TrainStep } from '../../../renderer/src/wizard/review/TrainStep';
import type { WizardState } from '../../../renderer/src/wizard/wizard-state';
import { createFakeApi, failWith } from '../fake-studio-api';
import { imageReady, models, scanClean } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

// The review says where the run will start when a GPU server is the engine in use, and a start that
// fails on the SSH connection leads back to the Environment step.

afterEach(resetWizardTestState);

const local = EngineEntry.parse({ id: 'local', kind: 'local', label: 'This computer' });
const gpu1 = EngineEntry.parse({
  id: 'ssh-a1b2c3d4',
  kind: 'ssh',
  label: 'ana@gpu1',
  target: { user: 'ana', host: 'gpu1', port: 22 },
  hostKey: { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s' },
});

const ready: Partial<WizardState> = {
  machine: { gpuReady: true, cpuFallback: true, imageReady: true, gpuNames: ['NVIDIA H100'], gpus: [] },
  datasetPath: scanClean.root,
  scan: scanClean,
};

function setup(currentId: string) {
  const api = createFakeApi({
    'models.list': () => models,
    'image.status': () => imageReady,
    'runs.estimate': () => RunEstimate.parse({ seconds: 754, memoryGiB: 6.1, explanation: 'From 270 images.' }),
    'engines.list': () => ({ engines: [local, gpu1], currentId }),
  });
  renderStep(<TrainStep />, { api, initial: ready });
  return api;
}

describe('Review and start on a GPU server', () => {
  test('the machine block names the server the run will start on', async () => {
    setup(gpu1.id);
    const machine = screen.getByRole('region', { name: 'Machine' });
    expect(await screen.findByText('The server ana@gpu1 (over SSH)')).toBeInTheDocument();
    expect(machine).toHaveTextContent('Where');
  });

  test('on this computer, nothing more is said', async () => {
    const api = setup('local');
    await screen.findByText(/about 12 min 34 s/);
    expect(api.count('engines.list')).toBe(1);
    expect(screen.getByRole('region', { name: 'Machine' })).not.toHaveTextContent('Where');
  });

  test('a start refused by the SSH connection leads back to the Environment step', async () => {
    const user = userEvent.setup();
    const api = setup(gpu1.id);
    api.answer({
      'runs.create': () =>
        failWith('ssh_unreachable', 'gpu1:22 did not answer in time.', 'Check that the server is on (VPN, firewall).'),
    });
    const start = screen.getByRole('button', { name: 'Start training' });
    await screen.findByText(/about 12 min 34 s/);
    await user.click(start);
    expect(await screen.findByRole('alert')).toHaveTextContent('gpu1:22 did not answer in time.');
    await user.click(screen.getByRole('button', { name: 'Go to Environment' }));
    expect(window.location.hash).toBe('#/new/environment');
  });
});
