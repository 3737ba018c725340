import { useCall } from '../../api/hooks';
import { draftDefaultsFor, rebaseDraft } from '../settings/draft-defaults';
import { DEFAULT_DRAFT } from '../settings/settings-draft';
import { useWizard } from '../wizard-state';

/**
 * On the wizard's steps while the settings are a copy of a run's: says which run, and offers to start
 * from the defaults instead. The new run records the run it came from (RunSettings.fromRunId).
 */
export function FromRunNotice() {
  const { state, update } = useWizard();
  const fromRunId = state.draft.fromRunId;
  if (!fromRunId) return null;
  return (
    <div className="notice" role="note" aria-labelledby="from-run-notice">
      <p id="from-run-notice">
        These settings are copied from the run <FromRunName id={fromRunId} />: change what you want to try, then start.
        The new run records which run it came from.{' '}
        <button
          type="button"
          // The defaults for this machine and folder: DEFAULT_DRAFT holds the GPU ones (as a fresh wizard).
          onClick={() =>
            update((current) => ({
              draft: rebaseDraft(DEFAULT_DRAFT, draftDefaultsFor('gpu', null), current.appliedDefaults),
              settingsVisited: false,
            }))
          }
        >
          Use the default settings instead
        </button>
      </p>
    </div>
  );
}

function FromRunName({ id }: { id: string }) {
  const detail = useCall('runs.get', { id, maxPoints: 10 });
  const name = detail.data?.summary.name;
  return <a href={`#/runs/${encodeURIComponent(id)}`}>{name ? `“${name}”` : id}</a>;
}
