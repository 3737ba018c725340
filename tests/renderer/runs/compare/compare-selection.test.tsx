import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RunSummary } from '../../../../electron/contract';
import { setApi } from '../../../../renderer/src/api/api';
import { RunsList } from '../../../../renderer/src/runs/RunsList';
import { FakeStudioApi, ok } from '../../fake-studio-api';
import { summary } from '../run-fixtures';

let runs: RunSummary[];

beforeEach(() => {
  // Newest first, as runs.list answers.
  runs = Array.from({ length: 12 }, (_, i) =>
    summary({
      id: `run-${String(12 - i).padStart(2, '0')}`,
      name: `Run ${12 - i}`,
      status: 'finished',
      progress: null,
      createdAt: `2026-01-${String(12 - i).padStart(2, '0')}T10:00:00.000Z`,
    }),
  );
  setApi(new FakeStudioApi().handle('runs.list', () => ok(runs)));
  window.location.hash = '#/runs';
});
afterEach(() => {
  setApi(null);
  window.location.hash = '';
});

describe('Choosing runs to compare in the runs list', () => {
  it('ticks runs with the keyboard and opens their comparison, oldest first', async () => {
    render(<RunsList />);
    const compare = await screen.findByRole('button', { name: 'Compare' });
    expect(compare).toHaveAttribute('aria-disabled', 'true');
    expect(compare).toHaveAccessibleDescription('Tick two or more runs to compare their settings, curves and results.');
    await userEvent.click(compare);
    expect(window.location.hash).toBe('#/runs');

    const user = userEvent.setup();
    screen.getByRole('checkbox', { name: 'Select “Run 3” to compare' }).focus();
    await user.keyboard(' ');
    expect(screen.getByRole('button', { name: 'Compare' })).toHaveAccessibleDescription(
      'Tick one more run to compare.',
    );
    await user.click(screen.getByRole('checkbox', { name: 'Select “Run 7” to compare' }));
    const ready = screen.getByRole('button', { name: 'Compare 2 runs' });
    expect(ready).toHaveAttribute('aria-disabled', 'false');
    ready.focus();
    await user.keyboard('{Enter}');
    expect(window.location.hash).toBe('#/compare/run-03/run-07');
  });

  it('takes at most 10 runs', async () => {
    render(<RunsList />);
    await screen.findByRole('button', { name: 'Compare' });
    for (let i = 1; i <= 10; i++)
      await userEvent.click(screen.getByRole('checkbox', { name: `Select “Run ${i}” to compare` }));
    expect(screen.getByRole('checkbox', { name: 'Select “Run 11” to compare' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Compare 10 runs' })).toHaveAccessibleDescription(
      '10 runs ticked: the most one comparison shows.',
    );
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select “Run 1” to compare' }));
    expect(screen.getByRole('checkbox', { name: 'Select “Run 11” to compare' })).toBeEnabled();
  });
});
