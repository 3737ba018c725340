import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComparedRun } from '../../../../electron/contract';
import { setApi } from '../../../../renderer/src/api/api';
import { CompareView } from '../../../../renderer/src/runs/compare/CompareView';
import { FakeStudioApi, ok } from '../../fake-studio-api';
import { comparedRun } from './compare-fixtures';

let api: FakeStudioApi;
let runs: ComparedRun[];

beforeEach(() => {
  runs = [
    comparedRun('run-a', { name: 'Baseline lr', top1: 0.85 }),
    comparedRun('run-b', {
      name: 'Higher lr',
      top1: 0.9,
      settings: { learningRate: 0.001, fromRunId: 'run-a' },
      perClass: [
        { name: 'daisy', f1: 0.95 },
        { name: 'rose', f1: 0.8 },
      ],
    }),
  ];
  api = new FakeStudioApi().handle('runs.compare', ({ ids }) =>
    ok({ runs: ids.map((id) => runs.find((r) => r.id === id)!) }),
  );
  setApi(api);
});
afterEach(() => setApi(null));

async function renderCompare(ids = ['run-a', 'run-b']) {
  render(<CompareView ids={ids} />);
  await screen.findByRole('region', { name: 'Settings' });
}

function settingRow(label: string): HTMLElement {
  return screen.getByRole('rowheader', { name: label }).closest('tr')!;
}

describe('CompareView', () => {
  it('asks the core for the runs once, and says so while it reads', async () => {
    render(<CompareView ids={['run-a', 'run-b']} />);
    expect(screen.getByText('Reading the runs…')).toBeInTheDocument();
    await screen.findByRole('region', { name: 'Settings' });
    expect(api.requests.filter((r) => r.name === 'runs.compare').map((r) => r.input)).toEqual([
      { ids: ['run-a', 'run-b'], maxPoints: 400 },
    ]);
  });

  it('highlights the settings that differ from the baseline, in words', async () => {
    await renderCompare();
    const lr = settingRow('Learning rate');
    expect(within(lr).getByText('automatic (scaled to the batch)')).toBeInTheDocument();
    const changed = within(lr).getByText('0.001').closest('td')!;
    expect(changed).toHaveClass('compare-differs');
    expect(changed).toHaveTextContent('0.001 — differs');
    // The same value is not marked.
    expect(within(settingRow('Epochs')).queryByText(/differs/)).toBeNull();
    expect(screen.getByText('1 setting differs from the baseline run (highlighted).')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('checkbox', { name: 'Only the settings that differ' }));
    expect(
      screen.getAllByRole('rowheader').filter((h) => h.closest('table')?.caption?.textContent?.startsWith('Settings')),
    ).toHaveLength(1);
  });

  it('draws both runs’ loss and accuracy curves on shared axes, by epoch and by time', async () => {
    const { container } = render(<CompareView ids={['run-a', 'run-b']} />);
    const curves = await screen.findByRole('region', { name: 'Loss and accuracy' });
    // Three charts, one path per run in each.
    expect(container.querySelectorAll('path[data-run="run-a"]')).toHaveLength(3);
    expect(container.querySelectorAll('path[data-run="run-b"]')).toHaveLength(3);
    for (const path of container.querySelectorAll('path[data-run]'))
      expect(path.getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+L/);
    // The text equivalent names each run's last and best values.
    expect(within(curves).getAllByText(/^Higher lr: last 90 % at epoch 5, best 90 % at epoch 5$/)).toHaveLength(1);

    const before = container.querySelector('path[data-run="run-a"]')!.getAttribute('d');
    await userEvent.click(within(curves).getByRole('radio', { name: 'Time' }));
    expect(within(curves).getAllByText('time (s)').length).toBeGreaterThan(0);
    expect(container.querySelector('path[data-run="run-a"]')!.getAttribute('d')).not.toBe(before);
    expect(within(curves).getAllByText(/^Baseline lr: last .* at 300 s/).length).toBeGreaterThan(0);
  });

  it('shows the final metrics side by side with intervals and the change against the baseline', async () => {
    await renderCompare();
    const table = within(screen.getByRole('region', { name: 'Final metrics' }));
    const a = table.getByRole('rowheader', { name: /Baseline lr/ }).closest('tr')!;
    const b = table.getByRole('rowheader', { name: 'Higher lr' }).closest('tr')!;
    expect(a).toHaveTextContent('85.0 %');
    expect(a).toHaveTextContent('70.0–90.0 %');
    expect(a).toHaveTextContent('(baseline)');
    expect(b).toHaveTextContent('90.0 %');
    expect(b).toHaveTextContent('75.0–95.0 %');
    expect(b).toHaveTextContent('Δ +5.0 pp');
    // Per-class F1 side by side.
    const classes = within(screen.getByRole('region', { name: 'F1 per class' }));
    const rose = classes.getByRole('rowheader', { name: 'rose' }).closest('tr')!;
    expect(rose).toHaveTextContent('75.0 %');
    expect(rose).toHaveTextContent('80.0 %');
    expect(rose).toHaveTextContent('Δ +5.0 pp');
  });

  it('measures the others against the chosen baseline', async () => {
    await renderCompare();
    await userEvent.click(
      within(screen.getByRole('group', { name: 'Baseline run' })).getByRole('radio', { name: 'Higher lr' }),
    );
    const table = within(screen.getByRole('region', { name: 'Final metrics' }));
    const a = table.getByRole('rowheader', { name: 'Baseline lr' }).closest('tr')!;
    expect(a).toHaveTextContent('Δ −5.0 pp');
    expect(table.getByRole('rowheader', { name: /Higher lr/ })).toHaveTextContent('(baseline)');
    // Now the automatic learning rate is the one that differs.
    expect(within(settingRow('Learning rate')).getByText('automatic (scaled to the batch)').closest('td')).toHaveClass(
      'compare-differs',
    );
    expect(screen.getByRole('link', { name: 'Start a new run from the baseline’s settings' })).toHaveAttribute(
      'href',
      '#/new/from/run-b',
    );
  });

  it('compares runs on other images only under a warning that says what differs', async () => {
    await renderCompare();
    expect(screen.queryByRole('note', { name: /Not measured on the same images/ })).toBeNull();

    runs[1] = comparedRun('run-b', { name: 'Other split', settings: { valRatio: 0.3 }, data: { splitSeed: 7 } });
    runs.push(comparedRun('run-c', { name: 'Other folder', settings: { datasetPath: '/home/ada/datasets/birds' } }));
    render(<CompareView ids={['run-a', 'run-b', 'run-c']} />);
    const warning = await screen.findByRole('note', { name: /Not measured on the same images/ });
    expect(warning).toHaveTextContent('“Other split” held back 30 % of the images for validation, the baseline 20 %');
    expect(warning).toHaveTextContent('split the images with another seed (7, not 0)');
    expect(warning).toHaveTextContent('“Other folder” trained on another folder (birds, not flowers)');
  });

  it('offers the pair a run came from when that run is not in the comparison', async () => {
    runs.push(comparedRun('run-c', { name: 'Copy', settings: { fromRunId: 'run-z' } }));
    await renderCompare(['run-a', 'run-c']);
    expect(screen.getByRole('link', { name: 'Compare “Copy” with the run it came from' })).toHaveAttribute(
      'href',
      '#/compare/run-z/run-c',
    );
  });

  it('says what to do with fewer than two runs, and asks nothing', async () => {
    render(<CompareView ids={['run-a']} />);
    expect(screen.getByText(/Choose at least two runs to compare/)).toBeInTheDocument();
    await waitFor(() => expect(api.requests).toEqual([]));
  });

  it('shows 20 classes, and all of them on request', async () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ name: `class_${i}`, f1: 0.5 }));
    runs = [comparedRun('run-a', { perClass: many }), comparedRun('run-b', { perClass: many })];
    await renderCompare();
    const classes = within(screen.getByRole('region', { name: 'F1 per class' }));
    expect(classes.getAllByRole('rowheader')).toHaveLength(20);
    await userEvent.click(classes.getByRole('button', { name: 'Show all 25 classes' }));
    expect(classes.getAllByRole('rowheader')).toHaveLength(25);
  });

  it('a run without results is compared by its curves, and says why its metrics are missing', async () => {
    runs[1] = comparedRun('run-b', { name: 'Still going', results: false, status: 'running' });
    await renderCompare();
    const row = within(screen.getByRole('region', { name: 'Final metrics' }))
      .getByRole('rowheader', { name: 'Still going' })
      .closest('tr')!;
    expect(row).toHaveTextContent('No final evaluation: the run is training.');
  });
});
