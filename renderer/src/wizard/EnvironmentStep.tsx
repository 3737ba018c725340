import { useCall } from '../api/hooks';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatBytes } from '../components/format';

/** Step 1: what this machine has. */
export function EnvironmentStep() {
  const summary = useCall('environment.summary', {});
  return (
    <section aria-labelledby="env-title">
      <h1 id="env-title">Environment</h1>
      <p className="lead">DeiT Studio checks that this machine can train: GPU driver, Docker and disk space.</p>
      {summary.loading && !summary.data && <p aria-busy="true">Looking at this machine…</p>}
      {summary.error && <ErrorNotice error={summary.error} onRetry={summary.reload} />}
      {summary.data && (
        <dl className="facts" aria-label="This machine">
          <dt>System</dt>
          <dd>
            {summary.data.os.distro} {summary.data.os.release} ({summary.data.os.arch}) on {summary.data.os.hostname}
          </dd>
          <dt>Processor</dt>
          <dd>
            {summary.data.cpu.brand}, {summary.data.cpu.cores} cores
          </dd>
          <dt>Memory</dt>
          <dd>
            {formatBytes(summary.data.memory.totalBytes)} ({formatBytes(summary.data.memory.availableBytes)} available)
          </dd>
          <dt>Free disk</dt>
          <dd>
            {formatBytes(summary.data.disk.freeBytes)} free of {formatBytes(summary.data.disk.totalBytes)} at{' '}
            <code>{summary.data.disk.path}</code>
          </dd>
          <dt>GPUs</dt>
          <dd>
            {summary.data.gpus.length === 0
              ? 'No GPU found'
              : summary.data.gpus
                  .map((g) => `${g.name}${g.memoryBytes ? ` (${formatBytes(g.memoryBytes)})` : ''}`)
                  .join(', ')}
          </dd>
        </dl>
      )}
    </section>
  );
}
