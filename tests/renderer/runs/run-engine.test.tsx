import { render, screen, within } from '@testing-library/react';
import type { RunSummary } from '../../../electron/contract';
import { setApi } from '../../../renderer/src/api/api';
import { RunHeader } from '../../../renderer/src/runs/RunHeader';
import { RunsList } from '../../../renderer/src/runs/RunsList';
import { runServer } from '../../../renderer/src/runs/run-engine';
import { FakeStudioApi, ok } from '../fake-studio-api';
import { settings, summary } from './run-fixtures';

// Where a run ran: "on ana@gpu1" for a run on a GPU server; nothing for this computer or older runs.
const onServer = (over: Partial<RunSummary> = {}) =>
  summary({ ...over, engine: { id: 'ssh-a1b2c3d4', kind: 'ssh', label: 'ana@gpu1' } });
const onThisComputer = (over: Partial<RunSummary> = {}) =>
  summary({ ...over, engine: { id: 'local', kind: 'local', label: 'This computer' } });

afterEach(() => setApi(null));

describe('where a run ran', () => {
  test('runServer names the server of an ssh run only', () => {
    expect(runServer(onServer())).toBe('ana@gpu1');
    expect(runServer(onThisComputer())).toBeNull();
    expect(runServer(summary())).toBeNull(); // an older run records no engine
  });

  test('the runs list says "on ana@gpu1" under a server run, nothing under the others', async () => {
    const runs = [
      onServer({ id: 'run-remote', name: 'Flowers on the server' }),
      onThisComputer({ id: 'run-here', name: 'Flowers here' }),
      summary({ id: 'run-old', name: 'Older run' }),
    ];
    setApi(new FakeStudioApi().handle('runs.list', () => ok(runs)));
    render(<RunsList />);
    const remote = (await screen.findByRole('rowheader', { name: /Flowers on the server/ })).closest('tr')!;
    expect(within(remote).getByRole('rowheader')).toHaveTextContent('on ana@gpu1');
    for (const name of [/Flowers here/, /Older run/]) {
      expect(screen.getByRole('rowheader', { name })).not.toHaveTextContent(' on ');
    }
  });

  test('the run header has a "Runs on" fact for a server run', () => {
    const { rerender } = render(
      <RunHeader summary={onServer()} settings={settings()} started={null} batchSize={null} onSummary={() => {}} />,
    );
    expect(screen.getByText('Runs on')).toBeInTheDocument();
    expect(screen.getByText('ana@gpu1 (a GPU server, over SSH)')).toBeInTheDocument();
    rerender(
      <RunHeader
        summary={onThisComputer()}
        settings={settings()}
        started={null}
        batchSize={null}
        onSummary={() => {}}
      />,
    );
    expect(screen.queryByText('Runs on')).not.toBeInTheDocument();
  });
});
