import { RunDashboard } from '../runs/RunDashboard';
import { RunResultsView } from '../runs/RunResultsView';
import { RunsList } from '../runs/RunsList';
import { DatasetStep } from '../wizard/DatasetStep';
import { EnvironmentStep } from '../wizard/EnvironmentStep';
import { SettingsStep } from '../wizard/SettingsStep';
import { TrainStep } from '../wizard/TrainStep';
import { WizardProvider } from '../wizard/wizard-state';
import { navigate, useRoute, type Route } from './router';
import { WIZARD_STEPS, isWizardStep, type WizardStepId } from './steps';
import { useTheme, type ThemeChoice } from './theme';

/** Which screen a route shows. `#/new/<step>` is the wizard; `#/runs[/<id>[/results]]` the runs. */
export function screenFor(route: Route): { step?: WizardStepId; runs?: { id?: string; results?: boolean } } {
  const [section, a, b] = route;
  if (section === undefined || (section === 'new' && a === undefined)) return { step: 'environment' };
  if (section === 'new' && isWizardStep(a)) return { step: a };
  if (section === 'runs') return { runs: { id: a, results: b === 'results' } };
  return {};
}

/** The app frame: wizard steps and runs in the sidebar, the current screen beside them. */
export function App() {
  const route = useRoute();
  const [theme, setTheme] = useTheme();
  const screen = screenFor(route);
  const runs = screen.runs;

  return (
    <WizardProvider>
      <div className="app">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="topbar">
          <span className="brand">DeiT Studio</span>
          <label className="theme-picker">
            Theme{' '}
            <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
              <option value="system">System</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
        </header>
        <nav className="sidebar" aria-label="Steps">
          <ol className="steps">
            {WIZARD_STEPS.map((s, i) => (
              <li key={s.id}>
                <a
                  href={`#/new/${s.id}`}
                  aria-current={screen.step === s.id ? 'step' : undefined}
                  className={screen.step === s.id ? 'current' : undefined}
                >
                  <span className="step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  <span>
                    {s.title}
                    <small>{s.hint}</small>
                  </span>
                </a>
              </li>
            ))}
          </ol>
          <a
            href="#/runs"
            className={runs ? 'current runs-link' : 'runs-link'}
            aria-current={runs && !runs.id ? 'page' : undefined}
          >
            Runs
          </a>
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          {screen.step === 'environment' && <EnvironmentStep />}
          {screen.step === 'dataset' && <DatasetStep />}
          {screen.step === 'settings' && <SettingsStep />}
          {screen.step === 'train' && <TrainStep />}
          {screen.step === 'results' && <RunResultsView />}
          {runs && !runs.id && <RunsList />}
          {runs?.id && !runs.results && <RunDashboard runId={runs.id} />}
          {runs?.id && runs.results && <RunResultsView runId={runs.id} />}
          {!screen.step && !runs && (
            <p>
              This page does not exist.{' '}
              <button type="button" onClick={() => navigate('/new/environment')}>
                Start over
              </button>
            </p>
          )}
        </main>
      </div>
    </WizardProvider>
  );
}
