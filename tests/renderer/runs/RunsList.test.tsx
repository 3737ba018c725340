import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RunSummary } from '../../../electron/contract';
import { setApi } from '../../../renderer/src/api/api';
import { RunsList } from '../../../renderer/src/runs/RunsList';
import { FakeStudioApi, fail, ok } from '../fake-studio-api';
import { detail, settings, summary } from './run-fixtures';

let api: FakeStudioApi;
let runs: RunSummary[];

const finished = () =>
  summary({
    id: 'run-old',
    name: 'Flowers v1',
    status: 'finished',
    createdAt: '2025-12-30T10:00:00.000Z',
    endedAt: '2025-12-30T11:00:00.000Z',
    durationS: 3600,
    epochsDone: 10,
    bestValTop1: 0.9312,
    progress: null,
  });
const failed = () =>
  summary({
    id: 'run-oom',
    name: 'Big batch',
    status: 'failed',
    createdAt: '2025-12-31T10:00:00.000Z',
    progress: null,
    failure: {
      cause: 'out_of_memory',
      message: 'The GPU ran out of memory.',
      fix: 'Use a smaller batch.',
      action: { label: 'Retry with batch size 64', settingsPatch: { batchSize: 64 } },
    },
  });

beforeEach(() => {
  runs = [summary(), failed(), finished()];
  api = new FakeStudioApi().handle('runs.list', () => ok(runs));
  setApi(api);
});

afterEach(() => setApi(null));

async function findRow(name: string): Promise<HTMLElement> {
  return (await screen.findByRole('rowheader', { name: new RegExp(name) })).closest('tr')!;
}

function row(name: string): HTMLElement {
  return screen.getByRole('rowheader', { name: new RegExp(name) }).closest('tr')!;
}

describe('RunsList', () => {
  it('says it is loading, then lists every run with status, model, dataset, best accuracy and duration', async () => {
    render(<RunsList />);
    expect(screen.getByText('Loading your runs…')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Flowers v1' })).toHaveAttribute('href', '#/runs/run-old');
    const done = row('Flowers v1');
    expect(within(done).getByText('Finished')).toBeInTheDocument();
    expect(within(done).getByText('DeiT-Small')).toHaveAttribute('title', 'deit_small_patch16_224');
    expect(within(done).getByText('cats-vs-dogs')).toBeInTheDocument();
    expect(within(done).getByText('93.1 %')).toBeInTheDocument();
    expect(within(done).getByText('1 h 0 min')).toBeInTheDocument();
    expect(within(done).getByText('10 epochs')).toBeInTheDocument();
    expect(within(done).getByRole('link', { name: 'Results' })).toHaveAttribute('href', '#/runs/run-old/results');
    expect(within(row('Cats vs dogs')).getByText('epoch 2 of 10')).toBeInTheDocument();
  });

  it('counts one epoch in the singular ("1 epoch", not "1 epochs")', async () => {
    runs = [{ ...finished(), epochsDone: 1 }];
    render(<RunsList />);
    expect(await within(await findRow('Flowers v1')).findByText('1 epoch')).toBeInTheDocument();
  });

  it('has a helpful empty state', async () => {
    runs = [];
    render(<RunsList />);
    expect(await screen.findByText(/No runs yet/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Start a new run' })).toHaveAttribute('href', '#/new/environment');
  });

  it('shows a typed error with its fix and retries', async () => {
    const user = userEvent.setup();
    api.handle('runs.list', () =>
      fail({
        kind: 'docker_unreachable',
        message: 'Docker does not answer.',
        fix: 'Start Docker Desktop, then try again.',
      }),
    );
    render(<RunsList />);
    expect(await screen.findByText('Start Docker Desktop, then try again.')).toBeInTheDocument();
    api.handle('runs.list', () => ok(runs));
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: 'Flowers v1' })).toBeInTheDocument();
  });

  it('updates live: a changed run, and a new run at the top', async () => {
    render(<RunsList />);
    await screen.findByRole('link', { name: 'Flowers v1' });
    act(() => {
      api.emit('run.updated', { ...summary(), status: 'finished', bestValTop1: 0.88, progress: null });
      api.emit(
        'run.updated',
        summary({ id: 'run-new', name: 'Birds', status: 'queued', createdAt: '2026-01-02T00:00:00Z' }),
      );
    });
    expect(within(row('Cats vs dogs')).getByText('Finished')).toBeInTheDocument();
    expect(within(row('Cats vs dogs')).getByText('88.0 %')).toBeInTheDocument();
    const names = screen.getAllByRole('rowheader').map((h) => within(h).getByRole('link').textContent);
    expect(names).toEqual(['Birds', 'Cats vs dogs', 'Big batch', 'Flowers v1']);
  });

  it('deletes a run only after confirmation, and never a running one', async () => {
    const user = userEvent.setup();
    api.handle('runs.delete', () => ok({ deleted: true as const }));
    render(
      <main id="main" tabIndex={-1}>
        <RunsList />
      </main>,
    );
    await screen.findByRole('link', { name: 'Flowers v1' });
    const running = within(row('Cats vs dogs')).getByRole('button', { name: 'Delete Cats vs dogs' });
    expect(running).toBeDisabled();
    expect(running).toHaveAccessibleDescription(/cannot be deleted while it is going/);

    await user.click(within(row('Flowers v1')).getByRole('button', { name: 'Delete Flowers v1' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete the run “Flowers v1”?' });
    expect(dialog).toHaveTextContent('Your dataset is not touched');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.count('runs.delete')).toBe(0);

    await user.click(within(row('Flowers v1')).getByRole('button', { name: 'Delete Flowers v1' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete run' }));
    expect(api.requests.find((r) => r.name === 'runs.delete')?.input).toEqual({ id: 'run-old', confirm: true });
    expect(screen.queryByRole('link', { name: 'Flowers v1' })).toBeNull();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    // its button is gone: focus goes to the page (after the list re-renders; slower on a loaded machine)
    await waitFor(() => expect(document.getElementById('main')).toHaveFocus());
  });

  it('shows why a delete failed, in the dialog', async () => {
    const user = userEvent.setup();
    api.handle('runs.delete', () => fail({ kind: 'busy', message: 'The run is in use.', fix: 'Stop it first.' }));
    render(<RunsList />);
    await screen.findByRole('link', { name: 'Flowers v1' });
    await user.click(within(row('Flowers v1')).getByRole('button', { name: 'Delete Flowers v1' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete run' }));
    expect(await within(screen.getByRole('alertdialog')).findByText('Stop it first.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Flowers v1' })).toBeInTheDocument();
  });

  it('shows a failed run’s cause and retries it with the suggested action', async () => {
    const user = userEvent.setup();
    api
      .handle('runs.get', ({ id }) => ok({ ...detail({ summary: failed() }), summary: { ...failed(), id } }))
      .handle('runs.create', () => ok(summary({ id: 'run-retry', status: 'queued' })));
    render(<RunsList />);
    await screen.findByRole('link', { name: 'Big batch' });
    const oom = row('Big batch');
    expect(within(oom).getByText('The GPU ran out of memory')).toBeInTheDocument();
    await user.click(within(oom).getByRole('button', { name: 'Retry with batch size 64' }));
    const created = api.requests.find((r) => r.name === 'runs.create')?.input as { settings: unknown };
    expect(created.settings).toEqual({ ...settings(), batchSize: 64 });
    expect(window.location.hash).toBe('#/runs/run-retry');
  });
});
