import { useEffect } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StepHeading } from '../StepHeading';
import { useWizard } from '../wizard-state';
import { WizardNav } from '../WizardNav';
import { AdvancedPanel } from './AdvancedPanel';
import { GpuChoice } from './GpuChoice';
import { ImageSizeField } from './ImageSizeField';
import { ModelCards } from './ModelCards';
import { OfflineWeightsNotice } from './OfflineWeightsNotice';
import { RunEstimatePanel } from './RunEstimatePanel';
import { TrainingFields } from './TrainingFields';
import { useCheckedSettings } from './use-checked-settings';
import { useWeightsReach } from './use-weights-reach';
import { Panel } from '../../components/Panel';

/** Step 3: which model, how long, and the advanced knobs; with an estimate before starting. */
export function SettingsStep() {
  const { state, update, updateDraft } = useWizard();
  useEffect(() => update({ settingsVisited: true }), [update]);
  const { models, card, check, estimate } = useCheckedSettings(state);
  const reach = useWeightsReach(state.draft.modelId);
  const fieldProblems = Object.keys(check.fieldErrors).length;
  const cpuMode = state.device === 'cpu';
  const typicalSize = state.scan?.typicalSize ?? null;
  const typedSize = Number(state.draft.imgSize.trim());
  const chosenImgSize = state.draft.imgSize.trim() !== '' && Number.isInteger(typedSize) ? typedSize : null;

  const missing = !state.datasetPath
    ? 'Choose a dataset first: the estimate depends on how many images there are.'
    : fieldProblems > 0
      ? 'Fix the settings marked above to see an estimate.'
      : null;
  const hint =
    fieldProblems > 0
      ? `Fix the ${fieldProblems === 1 ? 'setting' : `${fieldProblems} settings`} marked in red.`
      : 'Settings are valid. Next: review everything and start training.';

  return (
    <section aria-labelledby="settings-title" className="wizard-step">
      <StepHeading id="settings-title">Settings</StepHeading>
      <p className="lead">
        Choose a model and how long to train. The defaults are a good start; every setting says what it does.
      </p>
      {cpuMode && (
        <p className="notice notice-warning">
          <strong>CPU mode (slow).</strong> Training runs on the processor, so the settings start from the smallest
          model (DeiT-Ti), an image size that suits your pictures and {state.appliedDefaults.epochs} epochs. The
          estimate below says how long that takes here.
        </p>
      )}

      {state.weightsUnavailable && card && (
        <OfflineWeightsNotice modelTitle={card.title} fromScratch={state.draft.fromScratch} reach={reach} />
      )}

      {models.loading && !models.data && <p aria-busy="true">Loading the models…</p>}
      {models.error && <ErrorNotice error={models.error} onRetry={models.reload} />}
      {models.data?.length === 0 && (
        <p className="notice notice-error">No models are available. Reinstall DeiT Studio or update it.</p>
      )}
      {models.data && models.data.length > 0 && (
        <ModelCards
          models={models.data}
          value={state.draft.modelId}
          onChange={(modelId) => updateDraft({ modelId })}
          gpuName={state.machine?.gpuNames[0] ?? null}
          cpuMode={cpuMode}
          error={check.fieldErrors.modelId}
          imgSize={chosenImgSize}
          recommendedId={state.appliedDefaults.modelId}
        />
      )}

      <Panel titleId="training-title" title="Training">
        <TrainingFields draft={state.draft} errors={check.fieldErrors} onChange={updateDraft} cpuMode={cpuMode} />
        {cpuMode && (
          <ImageSizeField
            value={state.draft.imgSize}
            error={check.fieldErrors.imgSize}
            onChange={(imgSize) => updateDraft({ imgSize })}
            modelImgSize={card?.imgSize ?? null}
            typicalSize={typicalSize}
          />
        )}
        {!cpuMode && (state.machine?.gpus.length ?? 0) > 1 && (
          <GpuChoice
            gpus={state.machine!.gpus}
            value={state.draft.gpuIds}
            onChange={(gpuIds) => updateDraft({ gpuIds })}
            draft={state.draft}
            nTrain={state.scan?.classes.reduce((sum, c) => sum + c.train, 0) ?? 0}
          />
        )}
      </Panel>

      <AdvancedPanel
        draft={state.draft}
        errors={check.fieldErrors}
        onChange={updateDraft}
        modelImgSize={card?.imgSize ?? null}
        showImageSize={!cpuMode}
        typicalSize={typicalSize}
      />

      <RunEstimatePanel state={estimate} missing={missing} cpuMode={cpuMode} />

      <WizardNav
        back={{ to: '/new/dataset', label: 'Dataset' }}
        next="/new/train"
        nextLabel="Next: Review"
        canGoNext={fieldProblems === 0}
        hint={hint}
      />
    </section>
  );
}
