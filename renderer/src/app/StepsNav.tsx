import { completedSteps } from '../wizard/step-status';
import { useWizard } from '../wizard/wizard-state';
import { WIZARD_STEPS, type WizardStepId } from './steps';

/** The sidebar: the wizard's steps (✓ when complete, always reachable) and the runs. */
export function StepsNav({ current, runsCurrent }: { current?: WizardStepId; runsCurrent: 'list' | 'run' | null }) {
  const { state } = useWizard();
  const done = completedSteps(state);
  return (
    <nav className="sidebar" aria-label="Steps">
      <ol className="steps">
        {WIZARD_STEPS.map((s, i) => {
          const complete = done.has(s.id);
          return (
            <li key={s.id}>
              <a
                href={`#/new/${s.id}`}
                aria-current={current === s.id ? 'step' : undefined}
                className={[current === s.id ? 'current' : '', complete ? 'done' : ''].join(' ').trim() || undefined}
              >
                <span className="step-number" aria-hidden="true">
                  {complete ? '✓' : i + 1}
                </span>
                <span>
                  {s.title}
                  {complete && <span className="visually-hidden"> (done)</span>}
                  <small>{s.hint}</small>
                </span>
              </a>
            </li>
          );
        })}
      </ol>
      <a
        href="#/runs"
        className={runsCurrent ? 'current runs-link' : 'runs-link'}
        aria-current={runsCurrent === 'list' ? 'page' : undefined}
      >
        Runs
      </a>
    </nav>
  );
}
