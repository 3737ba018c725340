import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RunResults, SplitScores } from '../../../electron/contract';
import { setApi } from '../../../renderer/src/api/api';
import { RunResultsView } from '../../../renderer/src/runs/RunResultsView';
import { FakeStudioApi, ok } from '../fake-studio-api';
import { detail, results, summary } from './run-fixtures';

const validation: SplitScores = {
  split: 'validation',
  count: 440,
  top1: 0.9125,
  top1Interval: [0.882, 0.937],
  top5: null,
  balancedAccuracy: 0.8267,
  macroF1: 0.834,
  classesWithoutImages: [],
};
const selection = {
  metric: 'balanced_accuracy' as const,
  reason: 'classes are imbalanced (the largest training class has 5.0× the images of the smallest)',
  bestEpoch: 7,
};
const parity = { maxAbsLogitDiff: 3.1e-6, maxAbsProbDiff: 2e-7, top1Agreement: 1, images: 256, inputs: 'validation' };

async function show(over: Partial<RunResults>) {
  setApi(
    new FakeStudioApi()
      .handle('runs.results', () => ok(results(over)))
      .handle('runs.get', () => ok({ ...detail(), summary: summary({ status: 'finished' }) }))
      .handle('runs.image', () => ok({ mime: 'image/png', dataBase64: '' })),
  );
  render(<RunResultsView runId="run-1" />);
  return screen.findByRole('region', { name: /Final accuracy/ });
}

afterEach(() => setApi(null));

describe('the headline numbers of a run', () => {
  it('come from the test split when there is one, with the interval and what picked the epoch', async () => {
    const test: SplitScores = { ...validation, split: 'test', count: 412, top1: 0.913, balancedAccuracy: 0.9 };
    const panel = await show({ validation, test, selection, evalPrecision: 'fp32' });
    expect(within(panel).getByRole('heading', { name: 'Final accuracy on the test images' })).toBeInTheDocument();
    const top1 = within(panel).getByText('Top-1 accuracy').parentElement!;
    expect(top1).toHaveTextContent('91.3 %');
    expect(top1).toHaveTextContent('95 % interval 88.2–93.7 % (Wilson)');
    expect(within(panel).getByText('Balanced accuracy').parentElement).toHaveTextContent('90.0 %');
    expect(within(panel).getByText('Macro-F1').parentElement).toHaveTextContent('83.4 %');
    expect(panel).toHaveTextContent('From the 412 test images, evaluated once with the chosen model');
    expect(panel).toHaveTextContent('On the 440 validation images (used to pick the epoch): top-1 91.3 %');
    expect(panel).toHaveTextContent('Best epoch 7, picked by balanced accuracy on the validation images (classes are');
    expect(panel).toHaveTextContent('Evaluated in fp32');
    expect(within(panel).queryByText('Top-5 accuracy')).toBeNull(); // 3 classes: top-5 says nothing
  });

  it('say a validation number is optimistic, list classes not scored, and show top-5 with > 5 classes', async () => {
    const panel = await show({
      validation: { ...validation, top5: 0.99, classesWithoutImages: ['daisy'] },
      selection: { metric: 'top1', reason: 'classes are balanced', bestEpoch: 2 },
    });
    expect(within(panel).getByRole('heading', { name: 'Final accuracy on the validation images' })).toBeVisible();
    expect(panel).toHaveTextContent('which also picked the best epoch: an optimistic estimate');
    expect(panel).toHaveTextContent('Not scored (no validation images): daisy.');
    expect(panel).toHaveTextContent('picked by top-1 accuracy');
    expect(within(panel).getByText('Top-5 accuracy').parentElement).toHaveTextContent('99.0 %');
  });

  it('show what an older run recorded: top-1 without interval, no balanced accuracy, no top-5 for 3 classes', async () => {
    const panel = await show({});
    expect(within(panel).getByText('Top-1 accuracy').parentElement).toHaveTextContent('91.3 %');
    expect(panel).not.toHaveTextContent('interval');
    expect(within(panel).queryByText('Balanced accuracy')).toBeNull();
    expect(within(panel).queryByText('Top-5 accuracy')).toBeNull();
    expect(within(panel).getByText('Macro-F1').parentElement).toHaveTextContent('83.4 %'); // (92.4+90.4+67.4)/3
    expect(panel).toHaveTextContent('an optimistic estimate');
  });
});

describe('a run without validation images', () => {
  it('says no accuracy could be measured instead of calling it optimistic', async () => {
    const empty = { ...validation, count: 0, top1: null, top1Interval: null, balancedAccuracy: null, macroF1: null };
    const panel = await show({ validation: empty, perClass: [] });
    expect(panel).toHaveTextContent('There are no validation images, so no accuracy could be measured.');
    expect(panel).not.toHaveTextContent('optimistic');
    expect(within(panel).getByText('Top-1 accuracy').parentElement).toHaveTextContent('—');
  });
});

describe('the per-class table', () => {
  it('marks a class without validation images as not scored and sorts it after the scored ones', async () => {
    const user = userEvent.setup();
    const base = results().perClass;
    await show({ perClass: [...base, { name: 'daisy', precision: null, recall: null, f1: null, support: 0 }] });
    const table = screen.getByRole('table', { name: 'Metrics per class on the validation images' });
    const daisy = within(table).getByRole('rowheader', { name: 'daisy' }).closest('tr')!;
    expect(
      within(daisy)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['—', '—', '—', '0 (no validation images: not scored)']);
    const names = () =>
      within(table)
        .getAllByRole('rowheader')
        .map((c) => c.textContent);
    expect(names()).toEqual(['fox', 'dog', 'cat', 'daisy']); // weakest F1 first, unscored last
    await user.click(within(table).getByRole('button', { name: /F1/ }));
    expect(names()).toEqual(['cat', 'dog', 'fox', 'daisy']); // and last when descending too
  });
});

describe('export parity', () => {
  it('gives the three numbers measured on validation images, and warns above 1e-4 in probability', async () => {
    await show({
      exports: [
        { format: 'torchscript', path: '/runs/run-1/export/model.torchscript.pt', parityMaxAbsDiff: 2e-7, parity },
        {
          format: 'onnx',
          path: '/runs/run-1/export/model.onnx',
          parityMaxAbsDiff: 3e-4,
          parity: { ...parity, maxAbsProbDiff: 3e-4, maxAbsLogitDiff: 0.02, top1Agreement: 0.996 },
        },
      ],
    });
    const table = screen.getByRole('table', { name: 'Exported files' });
    const row = (file: RegExp) => within(table).getByText(file).closest('tr')!;
    expect(row(/torchscript\.pt/)).toHaveTextContent(
      '✓ yes (largest difference in probability 2.0e-7, in logits 3.1e-6; same first guess for 100.0 % of 256 validation images)',
    );
    expect(row(/model\.onnx/)).toHaveTextContent('⚠ differs by more than 1e-4 in probability');
    expect(row(/model\.onnx/)).toHaveTextContent('same first guess for 99.6 % of 256 validation images');
  });
});
