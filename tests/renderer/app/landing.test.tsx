import { act, render, screen, waitFor, within } from '@testing-library/react';
import { setApi } from '../../../renderer/src/api/api';
import { App } from '../../../renderer/src/app/App';
import { liveRun } from '../../../renderer/src/app/use-landing';
import { clearWizardState } from '../../../renderer/src/wizard/wizard-storage';
import { createFakeApi, deferred, failWith, type FakeStudioApi } from '../fake-studio-api';
import { summary as runSummary } from '../runs/run-fixtures';
import { imageReady, models, reportReady, summary } from '../wizard/fixtures';
import type { RunSummary } from '../../../electron/contract';

let api: FakeStudioApi;
let runs: RunSummary[];

beforeEach(() => {
  runs = [];
  api = createFakeApi({
    'environment.summary': () => summary,
    'environment.check': () => reportReady,
    'image.status': () => imageReady,
    'models.list': () => models,
    'runs.list': () => runs,
  });
  setApi(api);
});

afterEach(() => {
  setApi(null);
  clearWizardState();
  window.location.hash = '';
});

describe('coming back to the app', () => {
  test('opened at its bare address while a run trains, it lands on that run', async () => {
    window.location.hash = '';
    const list = deferred<RunSummary[]>();
    api.answer({ 'runs.list': () => list.promise });
    runs = [
      runSummary({ id: 'old', status: 'finished' }),
      runSummary({ id: 'live', name: 'Birds', status: 'running' }),
    ];
    render(<App />);
    expect(screen.getByText('Opening DeiT Studio…')).toBeInTheDocument(); // not the wizard, not yet
    expect(screen.queryByRole('heading', { name: 'Environment' })).toBeNull();
    await act(async () => list.resolve(runs));
    await waitFor(() => expect(window.location.hash).toBe('#/runs/live'));
    await waitFor(() => expect(api.inputsOf('runs.get')[0]).toMatchObject({ id: 'live' }));
  });

  test('without a live run it starts with the environment check as before', async () => {
    window.location.hash = '';
    runs = [runSummary({ id: 'old', status: 'finished' })];
    render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Environment' })).toBeInTheDocument();
    expect(window.location.hash).toBe('');
  });

  test('an address the user asked for is kept, and the wizard offers the live run prominently', async () => {
    window.location.hash = '#/new/train';
    runs = [runSummary({ id: 'live', name: 'Birds', status: 'running' })];
    render(<App />);
    const notice = await screen.findByRole('region', { name: 'A run is training' });
    expect(notice).toHaveTextContent('“Birds” is training (epoch 2 of 10).');
    expect(within(notice).getByRole('link', { name: 'Watch it on its dashboard' })).toHaveAttribute(
      'href',
      '#/runs/live',
    );
    expect(window.location.hash).toBe('#/new/train');
    // It follows the run: when it ends, the notice goes.
    act(() => api.emit('run.updated', runSummary({ id: 'live', name: 'Birds', status: 'finished' })));
    expect(screen.queryByRole('region', { name: 'A run is training' })).toBeNull();
  });

  test('a failed runs list does not keep the app from opening', async () => {
    window.location.hash = '';
    api.answer({
      'runs.list': () => failWith('internal', 'The runs folder cannot be read.'),
    });
    render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Environment' })).toBeInTheDocument();
  });
});

describe('liveRun', () => {
  test('prefers a run that trains now over one that waits, newest first', () => {
    const queued = runSummary({ id: 'q', status: 'queued' });
    const running = runSummary({ id: 'r', status: 'running' });
    const older = runSummary({ id: 'r0', status: 'running' });
    expect(liveRun([queued, running, older])?.id).toBe('r');
    expect(liveRun([queued])?.id).toBe('q');
    expect(liveRun([runSummary({ status: 'stopped' })])).toBeUndefined();
  });
});
