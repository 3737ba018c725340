import { render, screen, within } from '@testing-library/react';
import { DOCKER_STOPPED_MESSAGE, type RunSummary } from '../../../electron/contract';
import { setApi } from '../../../renderer/src/api/api';
import { RunProgressPanel } from '../../../renderer/src/runs/RunProgressPanel';
import { RunsList } from '../../../renderer/src/runs/RunsList';
import { FakeStudioApi, ok } from '../fake-studio-api';
import { summary } from './run-fixtures';

// Who stopped a run (issue 15): a stop Docker made (daemon shut down or restarted, `docker stop`)
// reads differently from the user's Stop, on the dashboard and in the runs list.

const stopped = (over: Partial<RunSummary>) =>
  summary({ status: 'stopped', resumable: true, progress: null, endedAt: '2026-01-01T00:10:00.000Z', ...over });

afterEach(() => setApi(null));

describe('the stop cause on the dashboard', () => {
  it('a stop by Docker says so and that Resume continues', () => {
    render(<RunProgressPanel summary={stopped({ stopCause: 'docker' })} progress={null} phase={null} />);
    expect(
      screen.getByText(`${DOCKER_STOPPED_MESSAGE} “Resume training” continues from the last checkpoint.`),
    ).toBeInTheDocument();
  });

  it("the user's Stop (and an older run without a cause) reads as before, without Docker", () => {
    for (const stopCause of ['user', undefined] as const) {
      const view = render(<RunProgressPanel summary={stopped({ stopCause })} progress={null} phase={null} />);
      expect(screen.getByText('Stopped. “Resume training” continues from the last checkpoint.')).toBeInTheDocument();
      expect(screen.queryByText(/Docker stopped/)).toBeNull();
      view.unmount();
    }
  });
});

describe('the stop cause in the runs list', () => {
  it('only the run Docker stopped carries the message', async () => {
    const runs = [
      stopped({ id: 'by-docker', name: 'Stopped by Docker', stopCause: 'docker' }),
      stopped({ id: 'by-user', name: 'Stopped by me', stopCause: 'user' }),
    ];
    setApi(new FakeStudioApi().handle('runs.list', () => ok(runs)));
    render(<RunsList />);
    await screen.findByRole('link', { name: 'Stopped by Docker' });
    const row = (name: string) => screen.getByRole('rowheader', { name: new RegExp(name) }).closest('tr')!;
    expect(within(row('Stopped by Docker')).getByText(DOCKER_STOPPED_MESSAGE)).toBeInTheDocument();
    expect(within(row('Stopped by Docker')).getByText('Stopped')).toBeInTheDocument();
    expect(within(row('Stopped by me')).queryByText(DOCKER_STOPPED_MESSAGE)).toBeNull();
  });
});
