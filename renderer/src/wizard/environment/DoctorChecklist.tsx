import type { CheckStatus, EnvironmentCheck, EnvironmentReport } from '@contract';
import { CopyButton } from '../../components/CopyButton';
import { StatusBadge, type StatusBadgeProps } from '../../components/StatusBadge';
import { reportEngine } from './engines/use-engine-check';

/** How a check's status reads: "✓ OK", "! Warning", "✕ Blocking", "– Skipped". */
const BADGE: Record<CheckStatus, StatusBadgeProps> = {
  ok: { tone: 'ok' },
  warning: { tone: 'warn' },
  blocking: { tone: 'error', label: 'Blocking' },
  skipped: { tone: 'neutral', label: 'Skipped' },
};

/** The checks only GPU training needs: while CPU mode is on offer, their failure blocks nothing. */
const GPU_ONLY = new Set<EnvironmentCheck['id']>(['driver', 'gpu-container']);

/**
 * One line of the checklist: status, what was found, and how to fix it (with a command to copy).
 * With CPU mode offered, a failed GPU check is marked "Needed for GPU", not "Blocking".
 */
function CheckItem({ check, cpuOffered }: { check: EnvironmentCheck; cpuOffered: boolean }) {
  const titleId = `check-${check.id}`;
  const gpuOnly = cpuOffered && check.status === 'blocking' && GPU_ONLY.has(check.id);
  return (
    <li className={`check check-${gpuOnly ? 'warning' : check.status}`} aria-labelledby={titleId}>
      {gpuOnly ? (
        <StatusBadge tone="info" label="Needed for GPU" className="check-badge" />
      ) : (
        <StatusBadge {...BADGE[check.status]} className="check-badge" />
      )}
      <div className="check-body">
        <h3 id={titleId} className="check-title">
          {check.title}
        </h3>
        <p className="check-message">{check.message}</p>
        {check.fix && (
          <div className="check-fix">
            <p>
              <strong>How to fix: </strong>
              {check.fix.text}
            </p>
            {check.fix.command && (
              <div className="command">
                <pre>
                  <code>{check.fix.command}</code>
                </pre>
                <CopyButton text={check.fix.command} name={`Copy command for ${check.title}`} />
              </div>
            )}
          </div>
        )}
        {check.detail && (
          <details>
            <summary>Details</summary>
            <pre className="detail">{check.detail}</pre>
          </details>
        )}
      </div>
    </li>
  );
}

/** "No NVIDIA driver was found." of a longer message (a version such as 12.4 is not an end). */
function firstSentence(message: string): string {
  return /^.*?[.!?](?=\s|$)/.exec(message)?.[0] ?? message;
}

/** One sentence over the checklist: is anything blocking, is there something to look at. */
export function checklistVerdict(report: EnvironmentReport): string {
  const blocking = report.checks.filter((c) => c.status === 'blocking').length;
  const warnings = report.checks.filter((c) => c.status === 'warning').length;
  if (report.gpuReady) {
    return warnings === 0
      ? 'Everything needed for GPU training is in place.'
      : `GPU training works; ${warnings === 1 ? 'one item deserves' : `${warnings} items deserve`} a look.`;
  }
  if (report.cpuFallback) {
    // Name the real cause: no driver at all is not a Docker problem.
    const cpu = 'You can train on the processor instead (CPU mode, below): slow, but it works.';
    const driver = report.checks.find((c) => c.id === 'driver');
    // On a GPU server the driver is checked through Docker: a skipped local driver says nothing of it.
    const server = reportEngine(report)?.kind === 'ssh' ? reportEngine(report)?.label : undefined;
    if (server)
      return `The GPUs of ${server} cannot be used from Docker yet (see “GPU access from containers”). ${cpu}`;
    if (driver?.status === 'skipped') return `This computer has no NVIDIA GPU. ${cpu}`;
    if (driver?.status === 'blocking') return `${firstSentence(driver.message)} ${cpu}`;
    return `The GPU cannot be used from Docker yet (see “GPU access from containers”). ${cpu}`;
  }
  return blocking === 1
    ? 'One problem stops this machine from training.'
    : `${blocking} problems stop this machine from training.`;
}

/** The environment doctor's checklist, in the order the doctor reports it (driver first). */
export function DoctorChecklist({ report }: { report: EnvironmentReport }) {
  return (
    <>
      <p className="verdict">{checklistVerdict(report)}</p>
      <ul className="checklist" aria-label="Environment checks">
        {report.checks.map((check) => (
          <CheckItem key={check.id} check={check} cpuOffered={report.cpuFallback} />
        ))}
      </ul>
    </>
  );
}
