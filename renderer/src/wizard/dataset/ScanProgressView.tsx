import { ProgressMeter } from '../ProgressMeter';
import { formatCount } from '../wizard-format';
import type { ScanProgress } from './use-dataset-scan';

const PHASE: Record<ScanProgress['phase'], string> = {
  listing: 'Listing files',
  reading: 'Reading image headers',
  done: 'Finishing',
};

/** A scan in progress: the phase and how many files so far (big folders take a few seconds). */
export function ScanProgressView({ path, progress }: { path: string; progress: ScanProgress | null }) {
  const text = progress
    ? `${PHASE[progress.phase]}: ${formatCount(progress.filesSeen)} files so far`
    : 'Starting the scan';
  return (
    <div className="scan-progress" aria-busy="true">
      <p>
        Scanning <code>{path}</code>… DeiT Studio only reads it.
      </p>
      <ProgressMeter label="Dataset scan progress" fraction={null} />
      {/* Polite and coarse: the phase text changes a few times per scan, the count is read on request. */}
      <p role="status">{text}</p>
    </div>
  );
}
