import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PredictionList, PredictionProgress, Predictions } from '../../../electron/contract';
import { setApi } from '../../../renderer/src/api/api';
import { TryModelPanel } from '../../../renderer/src/runs/results/TryModelPanel';
import { deferred, FakeStudioApi, fail, ok } from '../fake-studio-api';

let api: FakeStudioApi;
let list: PredictionList;

const RUNS = '/srv/deit/runs/run-1/predictions';

function predictions(file: string, folder: string, total: number): Predictions {
  return {
    folder,
    csvPath: `${RUNS}/${file}`,
    total,
    classified: total,
    byClass: [{ label: 'cat', count: total }],
    rows: [
      { file: 'a.jpg', predicted: 'cat', confidence: 0.9, topK: [{ label: 'cat', probability: 0.9 }], error: null },
    ],
    truncated: false,
    durationS: 3.5,
    device: null,
  };
}

function progress(patch: Partial<PredictionProgress>): PredictionProgress {
  return {
    runId: 'run-1',
    file: '20261201-100000-new1.csv',
    folder: '/data/new birds',
    state: 'running',
    done: 0,
    total: null,
    imgPerS: null,
    etaS: null,
    startedAt: '2026-12-01T10:00:00.000Z',
    device: null,
    ...patch,
  };
}

beforeEach(() => {
  list = {
    items: [
      {
        file: '20261130-090000-bbbb.csv',
        createdAt: '2026-11-30T09:00:00.000Z',
        folder: '/data/owls',
        total: 40,
        classified: 39,
        durationS: 2.5,
      },
      {
        file: '20261129-080000-aaaa.csv',
        createdAt: '2026-11-29T08:00:00.000Z',
        folder: null,
        total: 7,
        classified: 7,
        durationS: null,
      },
    ],
    running: null,
  };
  api = new FakeStudioApi()
    .handle('runs.predictions', () => ok(list))
    .handle('dataset.thumbnail', () => ok({ mime: 'image/png', dataBase64: btoa('png') }));
  setApi(api);
});

afterEach(() => setApi(null));

async function renderPanel() {
  render(<TryModelPanel runId="run-1" />);
  const panel = screen.getByRole('region', { name: 'Try the model on new images' });
  await within(panel).findByRole('heading', { name: 'Earlier classifications' });
  return panel;
}

describe('TryModelPanel', () => {
  it('counts the images with rate and time left while classifying, then shows the answers', async () => {
    const user = userEvent.setup();
    const answer = deferred<ReturnType<typeof ok<Predictions>>>();
    api.handle('runs.predict', () => answer.promise);
    const panel = await renderPanel();
    await user.type(within(panel).getByRole('combobox', { name: 'Folder with new images' }), '/data/new birds{Enter}');
    expect(within(panel).getByRole('status')).toHaveTextContent('Classifying the images in /data/new birds…');
    expect(panel).toHaveTextContent('Starting: loading the model…');
    act(() => api.emit('run.predictProgress', progress({})));
    act(() => api.emit('run.predictProgress', progress({ done: 320, total: 1032, imgPerS: 45.2, etaS: 16 })));
    expect(panel).toHaveTextContent('320 of 1,032 images classified · 45 images/s · about 16 s left');
    const meter = within(panel).getByRole('progressbar', { name: 'Images classified' });
    expect(meter).toHaveAttribute('aria-valuetext', '31 percent');
    expect(within(panel).getByRole('button', { name: 'Classify images' })).toBeDisabled();
    list = { ...list, items: [{ ...list.items[0]!, file: '20261201-100000-new1.csv' }, ...list.items] };
    act(() => api.emit('run.predictProgress', progress({ done: 1032, total: 1032, state: 'finished', etaS: 0 })));
    answer.resolve(ok(predictions('20261201-100000-new1.csv', '/data/new birds', 1032)));
    expect(await within(panel).findByText('1,032 of 1,032 images classified')).toBeInTheDocument();
    expect(within(panel).getByRole('status')).toHaveTextContent('Done: 1,032 of 1,032 images classified.');
    expect(within(panel).queryByRole('button', { name: 'Cancel' })).toBeNull();
    // The list was read again when it finished: the new one is first, marked as the one shown.
    const earlier = within(panel).getByRole('list', { name: 'Earlier classifications' });
    await waitFor(() => expect(within(earlier).getAllByRole('listitem')).toHaveLength(3));
    expect(api.count('runs.predictions')).toBe(2);
    expect(within(earlier).getAllByRole('listitem')[0]).toHaveTextContent('(shown below)');
  });

  it('says where it classifies: on the GPU it was given (and its precision), or on the processor', async () => {
    const user = userEvent.setup();
    const answer = deferred<ReturnType<typeof ok<Predictions>>>();
    api.handle('runs.predict', () => answer.promise);
    const panel = await renderPanel();
    await user.type(within(panel).getByRole('combobox', { name: 'Folder with new images' }), '/data/new birds{Enter}');
    const gpu = 'GPU 1 (NVIDIA H100 80GB HBM3), bf16';
    act(() => api.emit('run.predictProgress', progress({ done: 10, total: 100, device: gpu })));
    expect(panel).toHaveTextContent(`Classifying on ${gpu}.`);
    // The GPU was not visible inside the container: the trainer said so, and so does the panel.
    act(() => api.emit('run.predictProgress', progress({ done: 20, total: 100, device: 'the processor' })));
    expect(panel).toHaveTextContent('Classifying on the processor.');
    answer.resolve(ok({ ...predictions('20261201-100000-new1.csv', '/data/new birds', 100), device: gpu }));
    expect(await within(panel).findByText(/in 3\.5 s on GPU 1 \(NVIDIA H100 80GB HBM3\), bf16/)).toBeInTheDocument();
  });

  it('cancels: the container is stopped, the user is told no CSV was kept, and can classify again', async () => {
    const user = userEvent.setup();
    const answer = deferred<ReturnType<typeof fail>>();
    api.handle('runs.predict', () => answer.promise);
    api.handle('runs.cancelPredict', () => ok({ cancelled: true }));
    const panel = await renderPanel();
    await user.type(within(panel).getByRole('combobox', { name: 'Folder with new images' }), '/data/new birds{Enter}');
    act(() => api.emit('run.predictProgress', progress({ done: 64, total: 1032 })));
    await user.click(within(panel).getByRole('button', { name: 'Cancel' }));
    expect(api.inputsOf('runs.cancelPredict')).toEqual([{ id: 'run-1' }]);
    answer.resolve(fail({ kind: 'cancelled', message: 'Classifying the images was cancelled; no CSV file was kept.' }));
    act(() => api.emit('run.predictProgress', progress({ done: 64, total: 1032, state: 'cancelled' })));
    await waitFor(() =>
      expect(within(panel).getByRole('status')).toHaveTextContent('Cancelled: no CSV file was kept.'),
    );
    expect(within(panel).queryByRole('alert')).toBeNull(); // asked for, not an error
    expect(within(panel).queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(within(panel).getByRole('button', { name: 'Classify images' })).toBeEnabled();
  });

  it('lists the earlier classifications newest first; each opens from the keyboard', async () => {
    const user = userEvent.setup();
    api.handle('runs.prediction', ({ file }) => ok(predictions(file, file.includes('bbbb') ? '/data/owls' : '', 40)));
    const panel = await renderPanel();
    const items = within(within(panel).getByRole('list', { name: 'Earlier classifications' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringMatching(/^owls, .*2026.* 39 of 40 images classified in 2.5 s$/),
      expect.stringMatching(/^a folder, .*2026.* 7 of 7 images classified$/),
    ]);
    const open = within(items[0]!).getByRole('button');
    open.focus();
    await user.keyboard('{Enter}');
    expect(api.inputsOf('runs.prediction')).toEqual([{ id: 'run-1', file: '20261130-090000-bbbb.csv' }]);
    const heading = await within(panel).findByRole('heading', { name: 'Images in owls' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(open).toHaveAttribute('aria-current', 'true');
    expect(panel).toHaveTextContent(`${RUNS}/20261130-090000-bbbb.csv`);
    expect(panel.querySelector('img[alt="a.jpg"]')).not.toBeNull(); // previewed: its folder is known
    // One from before folders were recorded: answers without previews.
    await user.click(within(items[1]!).getByRole('button'));
    expect(
      await within(panel).findByRole('heading', { name: 'Classification 20261129-080000-aaaa.csv' }),
    ).toBeVisible();
    expect(panel.querySelector('img[alt="a.jpg"]')).toBeNull();
  });

  it('coming back mid-classification shows its progress and opens its answers when it is done', async () => {
    list = { ...list, running: progress({ done: 500, total: 1032, imgPerS: 40, etaS: 13 }) };
    api.handle('runs.cancelPredict', () => ok({ cancelled: true }));
    api.handle('runs.prediction', ({ file }) => ok(predictions(file, '/data/new birds', 1032)));
    const panel = await renderPanel();
    expect(panel).toHaveTextContent('500 of 1,032 images classified');
    expect(within(panel).getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
    act(() => api.emit('run.predictProgress', progress({ done: 1032, total: 1032, state: 'finished' })));
    expect(await within(panel).findByRole('heading', { name: 'Images in new birds' })).toBeInTheDocument();
    expect(api.inputsOf('runs.prediction')).toEqual([{ id: 'run-1', file: '20261201-100000-new1.csv' }]);
  });

  it('ignores the progress of other runs', async () => {
    const panel = await renderPanel();
    act(() => api.emit('run.predictProgress', progress({ runId: 'run-2', done: 5, total: 10 })));
    expect(within(panel).queryByRole('button', { name: 'Cancel' })).toBeNull();
  });
});
