import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunSummary } from '../../../electron/contract';
import { setApi } from '../../../renderer/src/api/api';
import { RunDashboard } from '../../../renderer/src/runs/RunDashboard';
import { fail, ok } from '../fake-studio-api';
import { FakeRunServer } from './fake-run-server';
import { epochEvent, gpuSample, settings, skippedEvent, stepEvent, summary, warningEvent } from './run-fixtures';

let server: FakeRunServer;

beforeEach(() => {
  server = new FakeRunServer('run-1', 13);
  server.gpu.push(gpuSample(1), gpuSample(2));
  setApi(server.api);
  window.location.hash = '#/runs/run-1';
});

afterEach(() => setApi(null));

async function renderLoaded() {
  const view = render(<RunDashboard runId="run-1" />);
  await screen.findByRole('heading', { level: 1, name: 'Cats vs dogs' });
  return view;
}

describe('RunDashboard', () => {
  it('says it is loading while the run is read', async () => {
    const held = server.hold();
    render(<RunDashboard runId="run-1" />);
    expect(screen.getByText(/Loading this run’s metrics/)).toBeInTheDocument();
    held.release();
    expect(await screen.findByRole('heading', { level: 1, name: 'Cats vs dogs' })).toBeInTheDocument();
  });

  it('shows a typed error with its fix, and loads on "Try again"', async () => {
    const user = userEvent.setup();
    server.api.handle('runs.get', () =>
      fail({
        kind: 'not_found',
        message: 'There is no run “run-1”.',
        fix: 'Open it from the runs list.',
        detail: 'ENOENT',
      }),
    );
    render(<RunDashboard runId="run-1" />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('There is no run “run-1”.');
    expect(alert).toHaveTextContent('Open it from the runs list.');
    expect(screen.queryByText(/at Object|stack/i)).toBeNull();
    server.api.handle('runs.get', () => ok(server.snapshot('run-1')));
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Cats vs dogs' })).toBeInTheDocument();
  });

  it('shows a running run: status, model, dataset, progress with ETA and speed, latest values of each chart', async () => {
    await renderLoaded();
    expect(screen.getByText('Training', { selector: '.run-status' })).toBeInTheDocument();
    expect(screen.getByText('deit_small_patch16_224')).toBeInTheDocument();
    expect(screen.getByText('cats-vs-dogs')).toBeInTheDocument();
    expect(screen.getByText(/Epoch 2 of 10/)).toBeInTheDocument();
    expect(screen.getByText(/step 3 of 10/)).toBeInTheDocument();
    expect(screen.getByText('813 images/s')).toBeInTheDocument();
    expect(screen.getByText('about 1 min 27 s')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('value', '13');
    // Text equivalents of the charts.
    expect(screen.getByText(/at step 13, lowest/)).toBeInTheDocument();
    expect(screen.getAllByText(/90 %/).length).toBeGreaterThan(0); // GPU utilisation
    // The live region announces status and epoch, not every step.
    expect(document.querySelector('[aria-live="polite"][aria-atomic="true"]')).toHaveTextContent(
      'Training, epoch 2 of 10.',
    );
  });

  it('follows live events, coalesced into a few updates', async () => {
    await renderLoaded();
    for (let g = 14; g <= 20; g++) server.append(stepEvent(g));
    server.append(epochEvent(2, 0.875));
    server.appendGpu(gpuSample(3, 42));
    expect(screen.queryByText(/step 10 of 10/)).toBeNull(); // not rendered synchronously per event
    expect(await screen.findByText(/step 10 of 10/)).toBeInTheDocument();
    expect(screen.getByText(/87.5 % at epoch 2/)).toBeInTheDocument();
    // Training and validation accuracy side by side, in the chart's text equivalent.
    const accuracy = screen.getByText('Accuracy (higher is better)').closest('figure')!;
    expect(accuracy).toHaveTextContent('Training top-1: 82.5 % at epoch 2');
    expect(accuracy).toHaveTextContent('Validation top-1: 87.5 % at epoch 2, highest 87.5 %');
    expect(screen.getByText(/42 % at time/)).toBeInTheDocument();
    expect(screen.getByText('820 images/s')).toBeInTheDocument();
  });

  it('lists warnings from the snapshot and live ones', async () => {
    server.api.handle('runs.get', async () => {
      return ok({
        ...server.snapshot('run-1'),
        warnings: [{ code: 'class_no_val', message: 'The class “fox” has no validation images.' }],
      });
    });
    await renderLoaded();
    expect(screen.getByText('The class “fox” has no validation images.')).toBeInTheDocument();
    server.append(warningEvent('out_of_memory', 'Out of GPU memory at batch size 128: trying 64.'));
    expect(await screen.findByText(/2 warnings \(not errors: they do not stop training\)/)).toBeInTheDocument();
    expect(screen.getByText('Out of GPU memory at batch size 128: trying 64.')).toBeInTheDocument();
  });

  it('reports skipped files with their reasons', async () => {
    const user = userEvent.setup();
    await renderLoaded();
    server.append(
      skippedEvent([
        { path: 'cats/notes.txt', reason: 'not an image (unsupported extension .txt)' },
        { path: 'dogs/half.jpg', reason: 'truncated or corrupt image' },
      ]),
    );
    expect(await screen.findByRole('heading', { name: /2 files were left out/ })).toBeInTheDocument();
    expect(screen.getByText('truncated or corrupt image: 1')).toBeInTheDocument();
    await user.click(screen.getByText('Show the files'));
    expect(screen.getByRole('cell', { name: 'cats/notes.txt' })).toBeVisible();
  });

  it('a finished or reattached run shows the batch size the trainer recorded, not "chosen automatically"', async () => {
    const finished = { ...server.snapshot('run-1'), summary: summary({ status: 'finished' }) };
    const facts = () => screen.getByRole('heading', { level: 1 }).closest('header')!.querySelector('dl')!;
    // The snapshot's latest batch (after an out-of-memory step-down: 48), over run_started's 64.
    server.api.handle('runs.get', () => ok({ ...finished, started: { batch_size: 64 }, batchSize: 48 }));
    const view = await renderLoaded();
    expect(facts()).toHaveTextContent('Batch size48');
    expect(facts()).not.toHaveTextContent('chosen automatically');
    view.unmount();
    // A snapshot from an older core without batchSize: run_started's.
    server.api.handle('runs.get', () => ok({ ...finished, started: { batch_size: 64 } }));
    await renderLoaded();
    expect(facts()).toHaveTextContent('Batch size64');
  });

  it('reports the left-out count in all when the event lists only the first files', async () => {
    await renderLoaded();
    server.append({ ...skippedEvent([{ path: 'cats/a.txt', reason: 'not an image' }]), total: 1234, truncated: true });
    expect(await screen.findByRole('heading', { name: /1,234 files were left out/ })).toBeInTheDocument();
  });

  it('asks before stopping (Escape cancels, focus returns), then shows "stopping…"', async () => {
    const user = userEvent.setup();
    server.api.handle('runs.stop', () => ok(summary({ status: 'stopping' })));
    await renderLoaded();
    const stop = screen.getByRole('button', { name: /Stop training/ });
    await user.click(stop);
    const dialog = screen.getByRole('alertdialog', { name: 'Stop this training run?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Stop training' })).toHaveFocus();
    await user.tab(); // the focus stays inside the dialog
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(stop).toHaveFocus();
    expect(server.api.count('runs.stop')).toBe(0);

    await user.click(stop);
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Stop training' }));
    expect(server.api.requests.find((r) => r.name === 'runs.stop')?.input).toEqual({ id: 'run-1' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(await screen.findByRole('button', { name: /Stopping…/ })).toBeDisabled();
    expect(screen.getByText(/finishing the current step and saving a checkpoint/)).toBeInTheDocument();
  });

  it('keeps the dialog open with the error when stopping fails', async () => {
    const user = userEvent.setup();
    server.api.handle('runs.stop', () =>
      fail({ kind: 'docker_unreachable', message: 'Docker does not answer.', fix: 'Start Docker, then try again.' }),
    );
    await renderLoaded();
    await user.click(screen.getByRole('button', { name: /Stop training/ }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Stop training' }));
    const dialog = screen.getByRole('alertdialog');
    expect(await within(dialog).findByText('Start Docker, then try again.')).toBeInTheDocument();
  });

  it('resumes a stopped run', async () => {
    const user = userEvent.setup();
    server.summary = summary({ status: 'stopped', resumable: true });
    server.api.handle('runs.resume', () => ok(summary({ status: 'preparing' })));
    await renderLoaded();
    expect(screen.getByText(/Stopped\. “Resume training” continues/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Stop training/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: /Resume training/ }));
    expect(await screen.findByText('Preparing', { selector: '.run-status' })).toBeInTheDocument();
    expect(server.api.count('runs.resume')).toBe(1);
  });

  it('explains a failed run and retries it with the suggested settings in one click', async () => {
    const user = userEvent.setup();
    server.summary = summary({
      status: 'failed',
      failure: {
        cause: 'out_of_memory',
        message: 'The GPU ran out of memory at batch size 128.',
        fix: 'Use a smaller batch size.',
        action: { label: 'Retry with batch size 64', settingsPatch: { batchSize: 64 } },
      },
    });
    server.api.handle('runs.create', ({ settings: s }) =>
      ok(summary({ id: 'run-2', status: 'queued', name: s.name ?? 'Retry' })),
    );
    await renderLoaded();
    expect(screen.getByRole('heading', { name: /This run failed: The GPU ran out of memory/ })).toBeInTheDocument();
    expect(screen.getByText('The GPU ran out of memory at batch size 128.')).toBeInTheDocument();
    expect(screen.getByText('Use a smaller batch size.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry with batch size 64' }));
    const created = server.api.requests.find((r) => r.name === 'runs.create')?.input as { settings: unknown };
    expect(created.settings).toEqual({ ...settings(), batchSize: 64 });
    expect(window.location.hash).toBe('#/runs/run-2');
  });

  it('says plainly that a CPU run has no GPU readings', async () => {
    server.gpu.length = 0;
    server.api.handle('runs.get', () => ok({ ...server.snapshot('run-1'), settings: settings({ device: 'cpu' }) }));
    await renderLoaded();
    expect(screen.getByText('This run trains on the CPU, so there are no GPU readings to show.')).toBeInTheDocument();
  });

  it('links a finished run to its results, and follows the status live', async () => {
    await renderLoaded();
    act(() =>
      server.api.emit(
        'run.updated',
        RunSummary.parse({ ...summary(), status: 'finished', endedAt: '2026-01-01T01:00:00Z', durationS: 3600 }),
      ),
    );
    expect(await screen.findByText('Finished', { selector: '.run-status' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See the results' })).toHaveAttribute('href', '#/runs/run-1/results');
    expect(screen.queryByRole('button', { name: /Stop training/ })).toBeNull();
    expect(screen.getByText('1 h 0 min')).toBeInTheDocument();
  });

  it('shows the log with warnings marked, searchable, following new lines', async () => {
    const user = userEvent.setup();
    server.log.push('epoch 1 done', 'WARNING: class fox has a single image', 'epoch 2 started');
    await renderLoaded();
    const log = screen.getByRole('log', { name: 'Training log lines' });
    expect(within(log).getByText('⚠ warning')).toBeInTheDocument();
    server.appendLog(['ERROR: CUDA out of memory']);
    expect(await within(log).findByText('✕ error')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Search the log'), 'epoch');
    expect(await screen.findByText(/2 matching lines in the last 4 lines/)).toBeInTheDocument();
    expect(within(log).queryByText(/CUDA/)).toBeNull();
    expect(within(log).getAllByText('epoch')[0]!.tagName).toBe('MARK');
    await user.clear(screen.getByLabelText('Search the log'));
    await user.click(screen.getByLabelText(/Only warnings and errors/));
    expect(within(log).queryByText(/epoch 1 done/)).toBeNull();
    expect(within(log).getByText(/CUDA out of memory/)).toBeInTheDocument();
  });

  it('shows a log record’s time, mark and text apart, never run together', async () => {
    server.log.push('2026-11-28 07:29:51,123 ERROR The weights could not be downloaded. Check the network.');
    await renderLoaded();
    const log = screen.getByRole('log', { name: 'Training log lines' });
    const line = within(log).getByText('The weights could not be downloaded. Check the network.').closest('div')!;
    expect(line.textContent).toBe('07:29:51 ✕ error The weights could not be downloaded. Check the network.');
    expect(within(line).getByText('07:29:51')).toHaveClass('run-log-time');
    expect(line).not.toHaveTextContent('ERROR'); // the mark replaces the logging level
  });

  it('after a reload mid-run (re-mount) with overlapping events, nothing is missing or doubled', async () => {
    server.log.push('line 1');
    const first = await renderLoaded();
    server.append(stepEvent(14));
    server.appendLog(['line 2']);
    expect(await screen.findByText(/step 4 of 10/)).toBeInTheDocument();
    first.unmount();
    expect(server.api.listenerCount('run.event')).toBe(0);

    server.append(stepEvent(15));
    server.appendLog(['line 3']);
    const held = server.hold();
    render(<RunDashboard runId="run-1" />);
    server.replay(13); // replayed by a reconnecting stream
    server.append(stepEvent(16)); // streamed and also in the late snapshot
    server.appendLog(['line 4']);
    held.release();
    expect(await screen.findByText(/step 6 of 10/)).toBeInTheDocument();
    server.replay(15);
    server.append(stepEvent(17));
    expect(await screen.findByText(/step 7 of 10/)).toBeInTheDocument();
    const log = screen.getByRole('log', { name: 'Training log lines' });
    for (const line of ['line 1', 'line 2', 'line 3', 'line 4']) expect(within(log).getAllByText(line)).toHaveLength(1);
    expect(screen.getByText(/at step 17, lowest/)).toBeInTheDocument();
  });
});
