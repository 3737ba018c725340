import type { PredictionProgress } from '@contract';
import { formatCount, formatDuration } from '../../components/format';
import { ProgressMeter } from '../../wizard/ProgressMeter';

/**
 * A classification in progress: how many images are done of how many, how fast, how long is left,
 * and Cancel (which stops its container; no CSV is kept). `progress` is null while the container
 * starts (the folder is checked, nothing counted yet).
 */
export function PredictionProgressView({
  progress,
  onCancel,
  cancelling,
}: {
  progress: PredictionProgress | null;
  onCancel: () => void;
  cancelling: boolean;
}) {
  const total = progress?.total ?? null;
  const done = progress?.done ?? 0;
  return (
    <div className="run-predict-progress">
      <ProgressMeter label="Images classified" fraction={total ? done / total : null} />
      <p className="run-predict-count">
        {total === null ? (
          'Starting: loading the model…'
        ) : (
          <>
            <strong>
              {formatCount(done)} of {formatCount(total)} images classified
            </strong>
            {progress?.imgPerS != null && ` · ${formatCount(progress.imgPerS)} images/s`}
            {progress?.etaS != null && done < total && ` · about ${formatDuration(progress.etaS)} left`}
          </>
        )}
      </p>
      {progress?.device && <p className="run-predict-device">Classifying on {progress.device}.</p>}
      <button type="button" onClick={onCancel} aria-disabled={cancelling ? 'true' : undefined}>
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}
