import { ErrorNotice } from '../../components/ErrorNotice';
import { formatBytes } from '../../components/format';
import { StatusBadge } from '../../components/StatusBadge';
import { BaseImageChooser } from './BaseImageChooser';
import { ImageProgressView } from './ImageProgressView';
import type { TrainingImage } from './use-training-image';
import { Panel } from '../../components/Panel';

/**
 * The training image: a PyTorch base image (downloaded once) with DeiT Studio's trainer built on
 * top. Asks before a large download, shows its progress, and lets the user cancel.
 */
export function TrainingImagePanel({ image, dockerWorks }: { image: TrainingImage; dockerWorks: boolean }) {
  const { status, progress, error, pending } = image;
  const working =
    pending === 'ensure' ||
    pending === 'load' ||
    status?.state === 'loading' ||
    status?.state === 'pulling' ||
    status?.state === 'building' ||
    pending === 'cancel';
  // Docker does not answer: whether the image is there cannot be known, and a download would not help.
  const unknown = status?.state === 'unknown';

  return (
    // Busy only while the status loads: during a pull, aria-busy would mute the progress announcements.
    <Panel titleId="image-title" title="Training image" busy={!status && pending === 'status'}>
      <p className="panel-intro">
        Training runs inside a Docker image: PyTorch with DeiT Studio’s trainer. It is prepared once and reused for
        every run.
      </p>
      {!status && pending === 'status' && <p>Looking for the training image…</p>}
      {error && <ErrorNotice error={error} onRetry={image.refresh} />}
      {status?.state === 'ready' && (
        <p className="image-ready">
          <StatusBadge tone="ok" label="Ready" /> The training image <code>{status.tag}</code> is ready.
        </p>
      )}
      {status && working && (
        <>
          <ImageProgressView progress={progress} />
          <button type="button" onClick={image.cancel} disabled={pending === 'cancel'}>
            {pending === 'cancel' ? 'Cancelling…' : 'Cancel'}
          </button>
        </>
      )}
      {status && unknown && (
        <div className="image-unknown">
          <p>
            <StatusBadge tone="warn" label="Unknown" /> Docker is not answering, so DeiT Studio cannot tell whether the
            training image is there. Nothing needs to be downloaded for that: start Docker, then check again.
          </p>
          {status.error && <ErrorNotice error={status.error} onRetry={image.refresh} />}
        </div>
      )}
      {status && !working && !unknown && status.state !== 'ready' && (
        <div className="image-missing">
          {status.state === 'cancelled' && <p>Getting the image was cancelled. You can start again at any time.</p>}
          {status.error && <ErrorNotice error={status.error} />}
          {status.needsConsent ? (
            <p>
              DeiT Studio needs to download the PyTorch base image <code>{status.baseImage}</code> once:{' '}
              <strong>{formatBytes(status.downloadBytes)}</strong>. On a slow connection this takes a while; Docker
              keeps it for later runs.
            </p>
          ) : (
            <p>
              {status.basePresent
                ? `The base image ${status.baseImage} is already here; building the trainer on top takes a minute or two.`
                : `The base image ${status.baseImage} will be downloaded (${formatBytes(status.downloadBytes)}), then the trainer built on top.`}
            </p>
          )}
          {!dockerWorks && <p>Docker must work before the image can be prepared: see the checks above.</p>}
          <button
            type="button"
            className="primary"
            disabled={!dockerWorks}
            onClick={() => image.ensure(status.needsConsent)}
          >
            {status.needsConsent
              ? `Download ${formatBytes(status.downloadBytes)} and prepare`
              : status.state === 'error'
                ? 'Try again'
                : 'Prepare the training image'}
          </button>
        </div>
      )}
      {status && !working && !unknown && dockerWorks && <BaseImageChooser image={image} status={status} />}
    </Panel>
  );
}
