import type { ImageProgress } from '@contract';
import { FactList } from '../../components/FactList';
import { formatBytes, formatDuration } from '../../components/format';
import { ProgressMeter } from '../ProgressMeter';

const PHASE: Record<ImageProgress['phase'], string> = {
  checking: 'Checking what is needed',
  loading: 'Loading the base image from the file',
  pulling: 'Downloading the PyTorch base image',
  building: 'Building the trainer on top of it',
  done: 'The training image is ready',
  error: 'Getting the training image failed',
  cancelled: 'Cancelled',
};

/** Fraction done, when the total is known (a build has no byte total: indeterminate). */
export function imageFraction(progress: ImageProgress | null): number | null {
  const bytes = progress?.phase === 'pulling' || progress?.phase === 'loading';
  if (!progress || !bytes || !progress.bytesTotal || progress.bytesTotal <= 0) return null;
  return progress.bytesDone / progress.bytesTotal;
}

// Screen readers hear the phase and every tenth, not every byte count.
function announcement(progress: ImageProgress | null): string {
  if (!progress) return 'Starting.';
  const fraction = imageFraction(progress);
  const tens = fraction === null ? '' : `, ${Math.floor(fraction * 10) * 10} percent`;
  return `${PHASE[progress.phase]}${tens}.`;
}

/** The image pull/build as it happens: bar, bytes, layers, speed and time left. */
export function ImageProgressView({ progress }: { progress: ImageProgress | null }) {
  const fraction = imageFraction(progress);
  return (
    <div className="image-progress">
      <p className="image-progress-phase">{progress ? PHASE[progress.phase] : 'Starting…'}</p>
      <ProgressMeter label="Training image progress" fraction={fraction} />
      {progress && (
        <FactList
          className="progress-facts"
          facts={[
            (progress.phase === 'pulling' || progress.phase === 'loading') && {
              label: progress.phase === 'loading' ? 'Loaded' : 'Downloaded',
              value:
                formatBytes(progress.bytesDone) +
                (progress.bytesTotal ? ` of ${formatBytes(progress.bytesTotal)}` : '') +
                (fraction !== null ? ` (${Math.round(fraction * 100)} %)` : ''),
            },
            progress.layersTotal > 0 && {
              label: 'Layers',
              value: `${progress.layersDone} of ${progress.layersTotal}`,
            },
            progress.speedBytesPerS !== null && { label: 'Speed', value: `${formatBytes(progress.speedBytesPerS)}/s` },
            progress.etaS !== null && { label: 'Time left', value: `about ${formatDuration(progress.etaS)}` },
          ]}
        />
      )}
      {progress?.message && <p className="image-progress-message">{progress.message}</p>}
      <p className="visually-hidden" aria-live="polite">
        {announcement(progress)}
      </p>
    </div>
  );
}
