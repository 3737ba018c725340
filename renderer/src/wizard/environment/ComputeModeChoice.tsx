import type { EnvironmentReport } from '@contract';

/**
 * GPU or CPU: states plainly which one training will use. When no GPU is usable but Docker works,
 * the user may choose CPU mode, labelled slow.
 */
export function ComputeModeChoice({
  report,
  gpuNames,
  device,
  onDeviceChange,
}: {
  report: EnvironmentReport;
  gpuNames: string[];
  device: 'gpu' | 'cpu';
  onDeviceChange: (device: 'gpu' | 'cpu') => void;
}) {
  if (report.gpuReady) {
    return (
      <div className="notice notice-ok">
        <p className="notice-title">
          Training will use the GPU{gpuNames.length > 0 ? `: ${gpuNames.join(', ')}` : ''}.
        </p>
      </div>
    );
  }
  if (!report.cpuFallback) {
    return (
      <div className="notice notice-error">
        <p className="notice-title">This machine cannot train yet.</p>
        <p>Docker is needed even for training on the CPU. Fix the blocking items above, then press “Check again”.</p>
      </div>
    );
  }
  return (
    <div className="notice notice-warning cpu-mode">
      <p className="notice-title">No GPU can be used for training right now.</p>
      <p>
        Fix the GPU items above and press “Check again”, or train on the processor instead. CPU mode is{' '}
        <strong>slow</strong>: expect hours where a GPU needs minutes. It suits a small test run.
      </p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={device === 'cpu'}
          onChange={(e) => onDeviceChange(e.target.checked ? 'cpu' : 'gpu')}
        />
        Use CPU mode (slow)
      </label>
    </div>
  );
}
