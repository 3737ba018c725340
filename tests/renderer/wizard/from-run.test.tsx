import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunEstimate, RunSettings } from '../../../electron/contract';
import { FromRunNotice } from '../../../renderer/src/wizard/from-run/FromRunNotice';
import { draftFromSettings } from '../../../renderer/src/wizard/from-run/settings-from-run';
import { StartFromRun } from '../../../renderer/src/wizard/from-run/StartFromRun';
import { DEFAULT_DRAFT, checkDraft } from '../../../renderer/src/wizard/settings/settings-draft';
import { SettingsStep } from '../../../renderer/src/wizard/settings/SettingsStep';
import { useWizard } from '../../../renderer/src/wizard/wizard-state';
import { createFakeApi, failWith } from '../fake-studio-api';
import { detail, summary } from '../runs/run-fixtures';
import { models, scanClean } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(resetWizardTestState);

/** A run's settings with every option away from its default. */
const earlier = RunSettings.parse({
  name: 'First try',
  datasetPath: scanClean.root,
  valRatio: 0.3,
  modelId: 'deit_tiny_patch16_224',
  epochs: 7,
  batchSize: 24,
  learningRate: 0.0007,
  imgSize: 160,
  augment: 'strong',
  precision: 'bf16',
  compile: false,
  freezeBackbone: true,
  earlyStoppingPatience: 3,
  seed: 42,
  ema: true,
  layerDecay: 0.65,
  classBalance: 'weights',
  device: 'gpu',
  gpuIds: ['0'],
  pretrained: true,
});

const estimate = RunEstimate.parse({ seconds: 60, memoryGiB: 2, explanation: 'A minute.' });

function WizardProbe() {
  const { state } = useWizard();
  return (
    <output data-testid="probe">{JSON.stringify({ from: state.draft.fromRunId, path: state.datasetPath })}</output>
  );
}

describe('Start a new run from these settings', () => {
  it('every setting of the run survives the way into the form and back, with the run it came from', () => {
    const draft = draftFromSettings(earlier, 'run-old');
    const check = checkDraft(draft, {
      datasetPath: earlier.datasetPath,
      valRatio: 0.3,
      device: 'gpu',
      modelImgSize: 224,
    });
    const { name: _name, ...rest } = earlier;
    expect(check.settings).toEqual({ ...rest, fromRunId: 'run-old' });
  });

  it('opens the wizard with the run’s folder and settings; the Settings step shows them', async () => {
    window.location.hash = '#/new/from/run-old';
    const api = createFakeApi({
      'runs.get': ({ id }) => ({ ...detail(), summary: summary({ id, name: 'First try' }), settings: earlier }),
      'models.list': () => models,
      'runs.estimate': () => estimate,
    });
    renderStep(
      <>
        <StartFromRun runId="run-old" />
        <WizardProbe />
      </>,
      { api },
    );
    await waitFor(() => expect(window.location.hash).toBe('#/new/dataset'));
    expect(JSON.parse(screen.getByTestId('probe').textContent!)).toEqual({ from: 'run-old', path: scanClean.root });
    expect(api.inputsOf('runs.get')).toEqual([{ id: 'run-old', maxPoints: 10 }]);
  });

  it('the Settings step shows the copied values, says where they came from, and the run records it', async () => {
    const api = createFakeApi({
      'runs.get': ({ id }) => ({ ...detail(), summary: summary({ id, name: 'First try' }), settings: earlier }),
      'models.list': () => models,
      'runs.estimate': () => estimate,
    });
    renderStep(
      <>
        <FromRunNotice />
        <SettingsStep />
      </>,
      {
        api,
        initial: {
          datasetPath: scanClean.root,
          scan: scanClean,
          valRatio: 0.3,
          settingsVisited: true,
          draft: draftFromSettings(earlier, 'run-old'),
          machine: { gpuReady: true, cpuFallback: true, imageReady: true, gpuNames: ['H100'], gpus: [] },
        },
      },
    );
    const notice = await screen.findByRole('note');
    expect(await within(notice).findByRole('link', { name: '“First try”' })).toHaveAttribute('href', '#/runs/run-old');
    expect(await screen.findByRole('radio', { name: /DeiT-Ti/ })).toBeChecked();
    expect(screen.getByRole('textbox', { name: 'Epochs' })).toHaveValue('7');
    // The advanced settings too (their panel opens on request).
    const advanced = screen.getByRole('button', { name: /Advanced/ });
    if (advanced.getAttribute('aria-expanded') !== 'true') await userEvent.click(advanced);
    expect(screen.getByRole('textbox', { name: /Learning rate/ })).toHaveValue('0.0007');
    expect(screen.getByRole('textbox', { name: /Random seed/ })).toHaveValue('42');
    // The estimate is asked with the copied settings, fromRunId included: runs.create gets the same.
    await waitFor(() =>
      expect(api.inputsOf('runs.estimate').at(-1)?.settings).toMatchObject({
        fromRunId: 'run-old',
        epochs: 7,
        seed: 42,
      }),
    );

    await userEvent.click(within(notice).getByRole('button', { name: 'Use the default settings instead' }));
    expect(screen.queryByRole('note')).toBeNull();
    expect(screen.getByRole('textbox', { name: 'Epochs' })).toHaveValue(DEFAULT_DRAFT.epochs);
  });

  it('a run that cannot be read says why, with its fix', async () => {
    const api = createFakeApi({
      'runs.get': () => failWith('not_found', 'There is no run "gone".', 'Reload the runs list.'),
    });
    renderStep(<StartFromRun runId="gone" />, { api });
    expect(await screen.findByRole('alert')).toHaveTextContent('There is no run "gone".');
  });
});
