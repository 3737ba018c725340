import type { CheckStatus, EnvironmentCheck, EnvironmentReport } from '../../../../electron/contract';
import { CopyButton } from '../../components/CopyButton';
import { StatusBadge, type BadgeTone } from '../StatusBadge';

const TONE: Record<CheckStatus, BadgeTone> = { ok: 'ok', warning: 'warning', blocking: 'blocking', skipped: 'skipped' };

/** One line of the checklist: status, what was found, and how to fix it (with a command to copy). */
function CheckItem({ check }: { check: EnvironmentCheck }) {
  const titleId = `check-${check.id}`;
  return (
    <li className={`check check-${check.status}`} aria-labelledby={titleId}>
      <StatusBadge tone={TONE[check.status]} />
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

/** One sentence over the checklist: is anything blocking, is there something to look at. */
export function checklistVerdict(report: EnvironmentReport): string {
  const blocking = report.checks.filter((c) => c.status === 'blocking').length;
  const warnings = report.checks.filter((c) => c.status === 'warning').length;
  if (report.gpuReady) {
    return warnings === 0
      ? 'Everything needed for GPU training is in place.'
      : `GPU training works; ${warnings === 1 ? 'one item deserves' : `${warnings} items deserve`} a look.`;
  }
  if (report.cpuFallback) return 'The GPU cannot be used from Docker yet. Training would run on the CPU (slow).';
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
          <CheckItem key={check.id} check={check} />
        ))}
      </ul>
    </>
  );
}
