import { needsToken } from '../api/api';
import { CompareView } from '../runs/compare/CompareView';
import { RunDashboard } from '../runs/RunDashboard';
import { RunResultsView } from '../runs/RunResultsView';
import { RunsList } from '../runs/RunsList';
import { DatasetStep } from '../wizard/dataset/DatasetStep';
import { EnvironmentStep } from '../wizard/environment/EnvironmentStep';
import { TrainStep } from '../wizard/review/TrainStep';
import { SettingsStep } from '../wizard/settings/SettingsStep';
import { FromRunNotice } from '../wizard/from-run/FromRunNotice';
import { StartFromRun } from '../wizard/from-run/StartFromRun';
import { WizardProvider } from '../wizard/wizard-state';
import { ConnectionBanner } from './ConnectionBanner';
import { LiveRunNotice } from './LiveRunNotice';
import { navigate, useRoute, type Route } from './router';
import { StepsNav } from './StepsNav';
import { TokenScreen } from './TokenScreen';
import { isWizardStep, type WizardStepId } from './steps';
import { useTheme, type ThemeChoice } from './theme';
import { useFocusOnNavigation } from './use-focus-on-navigation';
import { useLanding } from './use-landing';
import '../wizard/wizard.css';

/**
 * Which screen a route shows. `#/new/<step>` is the wizard (`#/new/from/<id>`: pre-filled from a run);
 * `#/runs[/<id>[/results]]` the runs; `#/compare/<id>/<id>…` runs side by side.
 */
export function screenFor(route: Route): {
  step?: WizardStepId;
  runs?: { id?: string; results?: boolean };
  compare?: string[];
  fromRun?: string;
} {
  const [section, a, b] = route;
  if (section === undefined || (section === 'new' && a === undefined)) return { step: 'environment' };
  if (section === 'new' && a === 'from' && b) return { fromRun: b };
  if (section === 'compare') return { compare: route.slice(1) };
  if (section === 'new' && isWizardStep(a)) return { step: a };
  if (section === 'runs') return { runs: { id: a, results: b === 'results' } };
  return {};
}

/** The app; in serve mode without an access token, the screen that asks for it (TokenScreen). */
export function App() {
  return needsToken() ? <TokenScreen /> : <StudioApp />;
}

/**
 * The app frame: wizard steps and runs in the sidebar, the current screen beside them. Opened at
 * its bare address while a run trains, it shows that run (useLanding).
 */
function StudioApp() {
  const landing = useLanding();
  const route = useRoute();
  const [theme, setTheme] = useTheme();
  const screen = screenFor(route);
  const runs = screen.runs;
  useFocusOnNavigation(route.join('/'));

  return (
    <WizardProvider>
      <div className="app">
        {/* The hash is the route, so the skip link moves focus itself instead of changing the hash. */}
        <a
          className="skip-link"
          href="#main"
          onClick={(e) => {
            e.preventDefault();
            document.getElementById('main')?.focus();
          }}
        >
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
        <ConnectionBanner />
        <StepsNav current={screen.step} runsCurrent={runs ? (runs.id ? 'run' : 'list') : null} />
        <main id="main" className="content" tabIndex={-1}>
          {landing === 'deciding' ? <p className="lead">Opening DeiT Studio…</p> : <Screen route={route} />}
        </main>
      </div>
    </WizardProvider>
  );
}

/** The screen a route shows. */
function Screen({ route }: { route: Route }) {
  const screen = screenFor(route);
  const runs = screen.runs;
  return (
    <>
      {screen.step && screen.step !== 'results' && <LiveRunNotice />}
      {screen.step && screen.step !== 'results' && <FromRunNotice />}
      {screen.fromRun && <StartFromRun runId={screen.fromRun} />}
      {screen.compare && <CompareView ids={screen.compare} />}
      {screen.step === 'environment' && <EnvironmentStep />}
      {screen.step === 'dataset' && <DatasetStep />}
      {screen.step === 'settings' && <SettingsStep />}
      {screen.step === 'train' && <TrainStep />}
      {screen.step === 'results' && <RunResultsView />}
      {runs && !runs.id && <RunsList />}
      {runs?.id && !runs.results && <RunDashboard runId={runs.id} />}
      {runs?.id && runs.results && <RunResultsView runId={runs.id} />}
      {!screen.step && !runs && !screen.compare && !screen.fromRun && (
        <p>
          This page does not exist.{' '}
          <button type="button" onClick={() => navigate('/new/environment')}>
            Start over
          </button>
        </p>
      )}
    </>
  );
}
