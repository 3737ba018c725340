import type { SystemSummary } from '@contract';
import { formatBytes, formatMemory } from '../../components/format';
import { FactList } from '../../components/FactList';

/** The one-time inventory of this machine: system, processor, memory, disk, GPUs. */
export function MachineSummary({ summary }: { summary: SystemSummary }) {
  return (
    <FactList
      className="facts"
      label="This machine"
      facts={[
        {
          label: 'System',
          value: `${summary.os.distro} ${summary.os.release} (${summary.os.arch}) on ${summary.os.hostname}`,
        },
        { label: 'Processor', value: `${summary.cpu.brand}, ${summary.cpu.cores} cores` },
        {
          label: 'Memory',
          value: `${formatMemory(summary.memory.totalBytes)} (${formatMemory(summary.memory.availableBytes)} available)`,
        },
        {
          label: 'Free disk',
          value: (
            <>
              {formatBytes(summary.disk.freeBytes)} free of {formatBytes(summary.disk.totalBytes)} at{' '}
              <code>{summary.disk.path}</code>
            </>
          ),
        },
        {
          label: 'GPUs',
          value:
            summary.gpus.length === 0
              ? 'No GPU found'
              : summary.gpus
                  .map((g) => `${g.name}${g.memoryBytes ? ` (${formatMemory(g.memoryBytes)})` : ''}`)
                  .join(', '),
        },
      ]}
    />
  );
}
