import { useEffect, useEffectEvent } from 'react';
import type { EnvironmentReport } from '@contract';
import { useCall } from '../../api/hooks';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StepHeading } from '../StepHeading';
import { useWizard } from '../wizard-state';
import { WizardNav } from '../WizardNav';
import { ComputeModeChoice } from './ComputeModeChoice';
import { DoctorChecklist } from './DoctorChecklist';
import { MachineSummary } from './MachineSummary';
import { NetworkPanel } from './NetworkPanel';
import { TrainingImagePanel } from './TrainingImagePanel';
import { useTrainingImage, type TrainingImage } from './use-training-image';
import { Panel } from '../../components/Panel';
import { EnginesPanel } from './engines/EnginesPanel';
import { engineInWords } from './engines/engine-words';
import { useEngineCheck } from './engines/use-engine-check';

/** What the user should do next on this step, given what is known so far. */
export function environmentHint(
  report: EnvironmentReport | undefined,
  image: TrainingImage,
  device: 'gpu' | 'cpu',
): { canGoNext: boolean; hint: string } {
  if (!report) return { canGoNext: false, hint: 'Wait for the checks to finish, or fix what they report.' };
  const canTrain = report.gpuReady || (report.cpuFallback && device === 'cpu');
  if (!canTrain) {
    return {
      canGoNext: false,
      hint: report.cpuFallback
        ? 'Fix the GPU items and press “Check again”, or choose CPU mode (slow).'
        : 'Fix the blocking items, then press “Check again”.',
    };
  }
  const state = image.status?.state;
  if (state === 'ready') return { canGoNext: true, hint: 'This machine is ready. Next: choose your images.' };
  if (state === 'unknown')
    return { canGoNext: false, hint: 'Docker is not answering: start it, then press “Check again”.' };
  if (state === 'loading' || state === 'pulling' || state === 'building' || image.pending === 'ensure')
    return { canGoNext: false, hint: 'Wait for the training image to be ready.' };
  return { canGoNext: false, hint: 'Prepare the training image below.' };
}

/** Step 1: can this machine train? The doctor's checklist, the training image, and GPU or CPU mode. */
export function EnvironmentStep() {
  const { state, update } = useWizard();
  const summary = useCall('environment.summary', {});
  // The doctor on the engine in use (this computer or a GPU server), again when another is chosen.
  const { engines, check, report, describes, switches } = useEngineCheck();
  const image = useTrainingImage();
  const where = engineInWords(describes);
  // The doctor's own GPU list when it has one (what the driver reports), else the inventory's.
  const gpuNames =
    report?.gpus?.map((g) => g.name) ??
    (summary.data?.gpus ?? []).filter((g) => /nvidia/i.test(g.vendor + g.name)).map((g) => g.name);
  const imageReady = image.status?.state === 'ready';
  const dockerWorks = !report || report.checks.find((c) => c.id === 'docker')?.status !== 'blocking';

  // Other steps read the outcome from the wizard state (review, sidebar marks, CPU labels).
  useEffect(() => {
    if (!report) return;
    update((current) => ({
      machine: {
        gpuReady: report.gpuReady,
        cpuFallback: report.cpuFallback,
        imageReady,
        gpuNames,
        gpus: (report.gpus ?? []).map(({ index, name, memoryMiB }) => ({ index, name, memoryMiB })),
      },
      // A GPU that works again wins over an earlier choice of CPU mode.
      device: report.gpuReady ? 'gpu' : current.device,
    }));
    // gpuNames is derived from summary.data; its identity changes every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [report, imageReady, summary.data, update]);

  // Another engine has its own images: ask which it has (not on the first render: the hook asks itself).
  const refreshImage = useEffectEvent(() => image.refresh());
  useEffect(() => {
    if (switches > 0) refreshImage();
  }, [switches]);

  const { canGoNext, hint } = environmentHint(report, image, state.device);

  return (
    <section aria-labelledby="env-title" className="wizard-step">
      <StepHeading id="env-title">Environment</StepHeading>
      <p className="lead">
        DeiT Studio checks that {where.subject} can train: GPU driver, Docker, GPU access from Docker, disk and memory.
      </p>

      <EnginesPanel engines={engines} />

      {/* No aria-busy here: it would hold back the status line below until the check ends. */}
      <section className="panel" aria-labelledby="checks-title">
        <div className="panel-header">
          <h2 id="checks-title">Checks</h2>
          {/* The image too: one removed behind the app's back (docker rmi) must not stay "Ready". */}
          <button
            type="button"
            onClick={() => {
              check.reload();
              image.refresh();
            }}
            disabled={check.loading}
          >
            {check.loading ? 'Checking…' : 'Check again'}
          </button>
        </div>
        {where.note && <p className="muted">{where.note}</p>}
        <p role="status" className="visually-hidden">
          {check.loading ? `Checking ${where.subject}…` : report ? 'Checks finished.' : ''}
        </p>
        {check.loading && !report && (
          <p>Checking the driver, Docker and GPU access… The first check can take up to a minute.</p>
        )}
        {check.error && !check.loading && <ErrorNotice error={check.error} onRetry={check.reload} />}
        {report && <DoctorChecklist report={report} />}
        {report && (
          <ComputeModeChoice
            report={report}
            gpuNames={gpuNames}
            device={state.device}
            onDeviceChange={(device) => update({ device })}
          />
        )}
      </section>

      <TrainingImagePanel image={image} dockerWorks={dockerWorks} />

      <NetworkPanel />

      <Panel
        titleId="machine-title"
        title="This machine"
        description={
          describes?.kind === 'ssh'
            ? `The computer DeiT Studio runs on. Training runs on ${describes.label}: the checks above describe it.`
            : undefined
        }
      >
        {summary.loading && !summary.data && <p aria-busy="true">Looking at this machine…</p>}
        {summary.error && <ErrorNotice error={summary.error} onRetry={summary.reload} />}
        {summary.data && <MachineSummary summary={summary.data} />}
      </Panel>

      <WizardNav next="/new/dataset" nextLabel="Next: Dataset" canGoNext={canGoNext} hint={hint} />
    </section>
  );
}
