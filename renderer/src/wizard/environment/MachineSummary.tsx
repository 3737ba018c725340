import type { SystemSummary } from '../../../../electron/contract';
import { formatBytes, formatMemory } from '../../components/format';

/** The one-time inventory of this machine: system, processor, memory, disk, GPUs. */
export function MachineSummary({ summary }: { summary: SystemSummary }) {
  return (
    <dl className="facts" aria-label="This machine">
      <dt>System</dt>
      <dd>
        {summary.os.distro} {summary.os.release} ({summary.os.arch}) on {summary.os.hostname}
      </dd>
      <dt>Processor</dt>
      <dd>
        {summary.cpu.brand}, {summary.cpu.cores} cores
      </dd>
      <dt>Memory</dt>
      <dd>
        {formatMemory(summary.memory.totalBytes)} ({formatMemory(summary.memory.availableBytes)} available)
      </dd>
      <dt>Free disk</dt>
      <dd>
        {formatBytes(summary.disk.freeBytes)} free of {formatBytes(summary.disk.totalBytes)} at{' '}
        <code>{summary.disk.path}</code>
      </dd>
      <dt>GPUs</dt>
      <dd>
        {summary.gpus.length === 0
          ? 'No GPU found'
          : summary.gpus.map((g) => `${g.name}${g.memoryBytes ? ` (${formatMemory(g.memoryBytes)})` : ''}`).join(', ')}
      </dd>
    </dl>
  );
}
