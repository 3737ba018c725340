import { render, screen, waitFor, within } from '@testing-library/react';
import type { Predictions } from '../../../electron/contract';
import userEvent from '@testing-library/user-event';
import { setApi } from '../../../renderer/src/api/api';
import { RunResultsView } from '../../../renderer/src/runs/RunResultsView';
import { deferred, FakeStudioApi, fail, ok } from '../fake-studio-api';
import { detail, results, summary } from './run-fixtures';

let api: FakeStudioApi;

const done = summary({ status: 'finished', endedAt: '2026-01-01T01:00:00Z', durationS: 3600, progress: null });

beforeEach(() => {
  api = new FakeStudioApi()
    .handle('runs.results', () => ok(results()))
    .handle('runs.get', () => ok({ ...detail(), summary: done }))
    .handle('runs.image', ({ file }) => ok({ mime: 'image/png', dataBase64: btoa(`png:${file}`) }))
    .handle('runs.predictions', () => ok({ items: [], running: null }));
  setApi(api);
});

afterEach(() => setApi(null));

async function renderResults() {
  render(<RunResultsView runId="run-1" />);
  await screen.findByRole('heading', { level: 2, name: 'Final accuracy on the validation images' });
}

describe('RunResultsView', () => {
  it('says it is loading, then shows the final metrics', async () => {
    render(<RunResultsView runId="run-1" />);
    expect(screen.getByText('Loading the results…')).toBeInTheDocument();
    expect(await screen.findByText('91.3 %')).toBeInTheDocument(); // top-1
    expect(screen.queryByText('Top-5 accuracy')).toBeNull(); // 3 classes: top-5 is always 100 %, not shown
    expect(screen.getByText('440')).toBeInTheDocument(); // validation images
    expect(await screen.findByRole('heading', { level: 1, name: 'Results: Cats vs dogs' })).toBeInTheDocument();
  });

  it('shows a typed error with its fix (e.g. a run that has not finished)', async () => {
    api.handle('runs.results', () =>
      fail({
        kind: 'not_found',
        message: 'This run has no results yet.',
        fix: 'Results appear when the run finishes.',
      }),
    );
    render(<RunResultsView runId="run-1" />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This run has no results yet.');
    expect(alert).toHaveTextContent('Results appear when the run finishes.');
    expect(screen.getByRole('link', { name: 'Training charts and log' })).toHaveAttribute('href', '#/runs/run-1');
  });

  it('sorts the per-class table from the keyboard, telling screen readers the order', async () => {
    const user = userEvent.setup();
    await renderResults();
    const table = screen.getByRole('table', { name: 'Metrics per class on the validation images' });
    const classes = () =>
      within(table)
        .getAllByRole('rowheader')
        .map((c) => c.textContent);
    expect(classes()).toEqual(['fox', 'dog', 'cat']); // weakest F1 first
    expect(within(table).getByRole('columnheader', { name: /F1/ })).toHaveAttribute('aria-sort', 'ascending');
    within(table)
      .getByRole('button', { name: /Recall/ })
      .focus();
    await user.keyboard('{Enter}');
    expect(within(table).getByRole('columnheader', { name: /Recall/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(classes()).toEqual(['fox', 'cat', 'dog']);
    await user.keyboard(' ');
    expect(within(table).getByRole('columnheader', { name: /Recall/ })).toHaveAttribute('aria-sort', 'descending');
    expect(classes()).toEqual(['dog', 'cat', 'fox']);
    await user.click(within(table).getByRole('button', { name: /Class/ }));
    expect(classes()).toEqual(['cat', 'dog', 'fox']);
  });

  it('shows the confusion matrix as a table with counts in every cell (not colour alone)', async () => {
    await renderResults();
    const matrix = screen.getByRole('table', { name: /Confusion matrix: rows true class/ });
    const foxRow = within(matrix).getByRole('rowheader', { name: 'true fox' }).closest('tr')!;
    expect(
      within(foxRow)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['6', '8', '26']);
    const correct = within(foxRow).getByText('26');
    expect(correct).toHaveClass('run-confusion-correct');
    expect(within(matrix).getByRole('columnheader', { name: 'predicted dog' })).toBeInTheDocument();
  });

  it('lists the most confident mistakes with thumbnails, labels and confidence', async () => {
    await renderResults();
    const img = await screen.findByRole('img', { name: 'dog predicted as cat' });
    expect(img.getAttribute('src')).toBe(`data:image/png;base64,${btoa('png:dog/IMG_0042.jpg')}`);
    const card = img.closest('li')!;
    expect(within(card).getByText('97 %')).toBeInTheDocument();
    expect(within(card).getByText('dog/IMG_0042.jpg')).toBeInTheDocument();
    expect(api.requests.filter((r) => r.name === 'runs.image').map((r) => (r.input as { file: string }).file)).toEqual([
      'dog/IMG_0042.jpg',
      'fox/fox_7.png',
    ]);
  });

  it('says where the exported files are; on the desktop "open folder" opens it', async () => {
    const user = userEvent.setup();
    api.handle('runs.openFolder', () => ok({ path: '/srv/deit/runs/run-1', opened: true }));
    window.deitStudio = { call: api.call.bind(api), on: api.on.bind(api), pathForFile: () => '' }; // the desktop app's bridge
    try {
      await renderResults();
      // File names only (the folder is printed above them), the full path on hover.
      const file = screen.getByText('model.onnx');
      expect(file.closest('td')).toHaveAttribute('title', '/runs/run-1/export/model.onnx');
      expect(screen.queryByText('/runs/run-1/export/model.onnx')).toBeNull();
      expect(screen.getByText(/✓ yes/)).toBeInTheDocument();
      expect(screen.getByText('not checked')).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Open the run folder' }));
      expect(await screen.findByText('Opened in your file manager.')).toBeInTheDocument();
      expect(screen.queryByRole('link', { name: /Download the run folder/ })).toBeNull();
    } finally {
      delete window.deitStudio;
    }
  });

  it('renders the methods report as text: markdown structure, never HTML from the file', async () => {
    api.handle('runs.results', () =>
      ok(
        results({
          // Inline in a paragraph (a line that starts with a tag is an HTML block: all of it text, ** included).
          reportMarkdown: '# Methods\n\nRan <script>window.pwned = 1</script> **bold** <img src=x onerror=alert(1)>\n',
        }),
      ),
    );
    await renderResults();
    const report = screen.getByRole('region', { name: 'Methods report' });
    expect(within(report).getByRole('heading', { level: 3, name: 'Methods' })).toBeInTheDocument();
    expect(report).toHaveTextContent('<script>window.pwned = 1</script>');
    expect(report.querySelector('script, img')).toBeNull();
    expect(within(report).getByText('bold').tagName).toBe('STRONG');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  describe('trying the model on new images', () => {
    const predictions: Predictions = {
      folder: '/home/ada/new birds',
      csvPath: '/home/ada/.local/share/deit-studio/runs/run-1/predictions/20261129-023105-ab12.csv',
      total: 3,
      classified: 2,
      byClass: [
        { label: 'cat', count: 1 },
        { label: 'dog', count: 1 },
      ],
      rows: [
        {
          file: 'garden/a.jpg',
          predicted: 'cat',
          confidence: 0.912,
          topK: [
            { label: 'cat', probability: 0.912 },
            { label: 'dog', probability: 0.07 },
            { label: 'fox', probability: 0.018 },
          ],
          error: null,
        },
        {
          file: 'b.png',
          predicted: 'dog',
          confidence: 0.6,
          topK: [
            { label: 'dog', probability: 0.6 },
            { label: 'cat', probability: 0.4 },
          ],
          error: null,
        },
        { file: 'broken.jpg', predicted: null, confidence: null, topK: [], error: 'not a readable image' },
      ],
      truncated: false,
      durationS: 4.2,
    };

    it('classifies a typed folder and shows what the model says about each image', async () => {
      const user = userEvent.setup();
      const answer = deferred<ReturnType<typeof ok<Predictions>>>();
      api.handle('runs.predict', () => answer.promise);
      api.handle('dataset.thumbnail', ({ root, file }) =>
        ok({ mime: 'image/png', dataBase64: btoa(`${root}/${file}`) }),
      );
      await renderResults();
      const panel = screen.getByRole('region', { name: 'Try the model on new images' });
      await user.type(within(panel).getByRole('combobox', { name: 'Folder with new images' }), '/home/ada/new birds');
      await user.click(within(panel).getByRole('button', { name: 'Classify images' }));
      expect(api.inputsOf('runs.predict')).toEqual([{ id: 'run-1', folder: '/home/ada/new birds' }]);
      expect(within(panel).getByRole('status')).toHaveTextContent('Classifying the images in /home/ada/new birds…');
      expect(within(panel).getByRole('button', { name: 'Classify images' })).toBeDisabled();
      answer.resolve(ok(predictions));
      expect(await within(panel).findByText('2 of 3 images classified')).toBeInTheDocument();
      expect(panel).toHaveTextContent('1 could not be read');
      expect(panel).toHaveTextContent(predictions.csvPath);
      const rows = within(within(panel).getByRole('table'))
        .getAllByRole('row')
        .map((r) => r.textContent);
      expect(rows).toEqual([
        'ImageClassConfidenceNext most likely',
        'garden/a.jpgcat91.2 %dog 7.0 %, fox 1.8 %',
        'b.pngdog60.0 %cat 40.0 %',
        'broken.jpg⚠ Not classified: not a readable image',
      ]);
      expect(within(panel).getByRole('list', { name: 'Images per predicted class' })).toHaveTextContent('cat: 1');
      // Each classified image is previewed from the folder (the core allows it once it has classified it).
      await waitFor(() =>
        expect(panel.querySelector('img[alt="garden/a.jpg"]')).toHaveAttribute(
          'src',
          `data:image/png;base64,${btoa('/home/ada/new birds/garden/a.jpg')}`,
        ),
      );
      expect(api.inputsOf('dataset.thumbnail')).toContainEqual({ root: '/home/ada/new birds', file: 'b.png' });
    });

    it('says so when the folder has no images, and shows a typed error with its fix', async () => {
      const user = userEvent.setup();
      api.handle('runs.predict', () => ok({ ...predictions, total: 0, classified: 0, byClass: [], rows: [] }));
      await renderResults();
      const panel = screen.getByRole('region', { name: 'Try the model on new images' });
      const field = within(panel).getByRole('combobox', { name: 'Folder with new images' });
      await user.type(field, '/home/ada/empty{Enter}');
      expect(await within(panel).findByText(/No images were found in/)).toBeInTheDocument();
      api.handle('runs.predict', () =>
        fail({ kind: 'not_found', message: 'There is no folder at /nope.', fix: 'Check the path.' }),
      );
      await user.clear(field);
      await user.type(field, '/nope{Enter}');
      const alert = await within(panel).findByRole('alert');
      expect(alert).toHaveTextContent('There is no folder at /nope.');
      expect(alert).toHaveTextContent('Check the path.');
      expect(within(panel).queryByText(/No images were found/)).toBeNull();
    });
  });

  describe('without a run id (the wizard’s Results step)', () => {
    it('shows the most recent finished run', async () => {
      api.handle('runs.list', () =>
        ok([
          summary({ id: 'run-3' }),
          summary({ id: 'run-2', status: 'finished' }),
          summary({ id: 'run-1', status: 'finished' }),
        ]),
      );
      render(<RunResultsView />);
      await screen.findByRole('heading', { level: 2, name: 'Final accuracy on the validation images' });
      expect(api.requests.find((r) => r.name === 'runs.results')?.input).toEqual({ id: 'run-2' });
    });

    it('says there are no results yet, and how to get some', async () => {
      api.handle('runs.list', () => ok([]));
      render(<RunResultsView />);
      expect(await screen.findByText(/No run has finished yet/)).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'Start a new run' })).toHaveAttribute('href', '#/new/environment');
    });

    it('points to the run that is still training', async () => {
      api.handle('runs.list', () => ok([summary({ id: 'run-9', name: 'Birds' })]));
      render(<RunResultsView />);
      expect(await screen.findByRole('link', { name: '“Birds” is training' })).toHaveAttribute('href', '#/runs/run-9');
    });
  });
});
