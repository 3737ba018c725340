import { useEffect } from 'react';
import { useCall } from '../../api/hooks';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useWizard } from '../wizard-state';
import { wizardFromRun } from './settings-from-run';

/**
 * `#/new/from/<run id>`: copies that run's settings into the wizard, then opens the Dataset step (its
 * folder is scanned again there, and every later step shows the copied settings). The route is
 * replaced, so Back does not copy them again.
 */
export function StartFromRun({ runId }: { runId: string }) {
  const { update } = useWizard();
  const detail = useCall('runs.get', { id: runId, maxPoints: 10 });
  const settings = detail.data?.settings;
  useEffect(() => {
    if (!settings) return;
    update(wizardFromRun(settings, runId));
    window.location.replace('#/new/dataset');
  }, [settings, runId, update]);
  return (
    <section aria-labelledby="from-run-title" className="wizard-step">
      <h1 id="from-run-title" tabIndex={-1}>
        New run from earlier settings
      </h1>
      {detail.error ? (
        <ErrorNotice error={detail.error} onRetry={detail.reload} />
      ) : (
        <p className="lead">Copying the run’s settings…</p>
      )}
    </section>
  );
}
