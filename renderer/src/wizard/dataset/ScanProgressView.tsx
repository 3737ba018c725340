import { ProgressMeter } from '../ProgressMeter';
import { formatCount } from '../../components/format';
import type { ScanProgress } from './use-dataset-scan';

/** What the scan is doing, in words. */
function describe(progress: ScanProgress | null): string {
  if (!progress) return 'Starting the scan';
  if (progress.phase === 'listing') return `Listing files: ${formatCount(progress.filesSeen)} so far`;
  if (progress.phase === 'reading')
    return `Reading images: ${formatCount(progress.filesRead)}${progress.filesTotal !== null ? ` of ${formatCount(progress.filesTotal)}` : ''}`;
  return 'Finishing';
}

/** A scan in progress: phase and counts (big folders take a while), with a way to stop it. */
export function ScanProgressView({
  path,
  progress,
  onCancel,
}: {
  path: string;
  progress: ScanProgress | null;
  onCancel: () => void;
}) {
  const fraction =
    progress?.phase === 'reading' && progress.filesTotal ? progress.filesRead / progress.filesTotal : null;
  return (
    <div className="panel scan-progress">
      <p>
        Scanning <code>{path}</code>… DeiT Studio only reads it.
      </p>
      <ProgressMeter label="Dataset scan progress" fraction={fraction} />
      <div className="scan-progress-row">
        {/* A status region: polite, and the core sends at most about ten updates a second. */}
        <p role="status">{describe(progress)}</p>
        <button type="button" onClick={onCancel}>
          Stop scan
        </button>
      </div>
    </div>
  );
}
