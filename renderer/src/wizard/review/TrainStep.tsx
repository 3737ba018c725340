import type { ErrorKind } from '@contract';
import { api } from '../../api/api';
import { useCall } from '../../api/hooks';
import { navigate } from '../../app/router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useAsyncAction } from '../../components/use-async-action';
import { RunEstimatePanel } from '../settings/RunEstimatePanel';
import { TextField } from '../settings/FormFields';
import { useCheckedSettings } from '../settings/use-checked-settings';
import { StepHeading } from '../StepHeading';
import { useWizard } from '../wizard-state';
import { WizardNav } from '../WizardNav';
import { missingBeforeStart } from './review-readiness';
import { ReviewSummary } from './ReviewSummary';

// Where a failed start is fixed, by error kind.
const STEP_FOR_ERROR: Partial<Record<ErrorKind, { to: string; label: string }>> = {
  gpu_unavailable: { to: '/new/environment', label: 'Go to Environment' },
  docker_unreachable: { to: '/new/environment', label: 'Go to Environment' },
  docker_permission: { to: '/new/environment', label: 'Go to Environment' },
  docker_error: { to: '/new/environment', label: 'Go to Environment' },
  disk_full: { to: '/new/environment', label: 'Go to Environment' },
  ssh_host_key: { to: '/new/environment', label: 'Go to Environment' },
  ssh_refused: { to: '/new/environment', label: 'Go to Environment' },
  ssh_unreachable: { to: '/new/environment', label: 'Go to Environment' },
  dataset_invalid: { to: '/new/dataset', label: 'Go to Dataset' },
  not_found: { to: '/new/dataset', label: 'Go to Dataset' },
  validation: { to: '/new/settings', label: 'Go to Settings' },
};

const STEP_TITLE = { environment: 'Environment', dataset: 'Dataset', settings: 'Settings' } as const;

/** Step 4: review everything, name the run, and start it; the run's live dashboard takes over. */
export function TrainStep() {
  const { state, updateDraft } = useWizard();
  const { card, check, estimate } = useCheckedSettings(state);
  // Asked again here: the image may have finished (or been removed) since the Environment step.
  const image = useCall('image.status', {});
  // Where the run will start: a GPU server says so (the Environment step chooses it).
  const engines = useCall('engines.list', {});
  const engine = engines.data?.engines.find((e) => e.id === engines.data?.currentId);
  const imageReady = image.data ? image.data.state === 'ready' : null;
  const missing = missingBeforeStart(state, imageReady, check, state.scan, image.data?.state === 'unknown');
  const starting = useAsyncAction();
  const startError = starting.error;
  const canStart = missing.length === 0 && check.settings !== null && !starting.busy;

  async function start() {
    if (!canStart || !check.settings) return;
    const settings = check.settings;
    const run = await starting.run(() => api().call('runs.create', { settings }));
    if (!run) return;
    updateDraft({ name: '', fromRunId: undefined }); // the next run gets its own name and is no copy
    navigate(`/runs/${encodeURIComponent(run.id)}`);
  }

  const errorStep = startError ? STEP_FOR_ERROR[startError.kind] : undefined;
  return (
    <section aria-labelledby="train-title" className="wizard-step">
      <StepHeading id="train-title">Review and start</StepHeading>
      <p className="lead">Check your choices, then start training. You can watch it live and stop it at any time.</p>

      <ReviewSummary
        state={state}
        imageReady={imageReady}
        scan={state.scan}
        card={card}
        settings={check.settings}
        engine={engine}
      />

      <RunEstimatePanel
        state={estimate}
        missing={check.settings ? null : 'The estimate appears once the dataset and settings are complete.'}
        cpuMode={state.device === 'cpu'}
      />

      {missing.length > 0 && (
        <div className="notice notice-warning" aria-labelledby="missing-title">
          <p className="notice-title" id="missing-title">
            Before training can start:
          </p>
          <ul>
            {missing.map((m) => (
              <li key={m.text}>
                {m.text} <a href={`#/new/${m.step}`}>Go to {STEP_TITLE[m.step]}</a>
              </li>
            ))}
          </ul>
        </div>
      )}

      <form
        className="start-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <TextField
          id="run-name"
          label="Run name (optional)"
          value={state.draft.name}
          error={check.fieldErrors.name}
          onChange={(name) => updateDraft({ name })}
          placeholder="e.g. birds, DeiT-S, 10 epochs"
          hint="Helps you find this run in the list later. Empty: a name is made from the model and date."
        />
        <button type="submit" className="primary start-button" aria-disabled={canStart ? undefined : 'true'}>
          {starting.busy ? 'Starting…' : 'Start training'}
        </button>
      </form>
      {startError && (
        <>
          <ErrorNotice error={startError} />
          {errorStep && (
            <p>
              <button type="button" onClick={() => navigate(errorStep.to)}>
                {errorStep.label}
              </button>
            </p>
          )}
        </>
      )}

      <WizardNav
        back={{ to: '/new/settings', label: 'Settings' }}
        canGoNext={false}
        hint={
          missing.length > 0
            ? 'Complete the items listed above first.'
            : 'Everything is ready. Press “Start training”; the live dashboard opens.'
        }
      />
    </section>
  );
}
