import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setApi } from '../../../renderer/src/api/api';
import { App, screenFor } from '../../../renderer/src/app/App';
import { parseRoute } from '../../../renderer/src/app/router';
import { clearThumbnailCache } from '../../../renderer/src/wizard/dataset/thumbnail-cache';
import { clearWizardState } from '../../../renderer/src/wizard/wizard-storage';
import { createFakeApi, failWith } from '../fake-studio-api';
import { imageReady, models, reportReady, scanClean, summary } from '../wizard/fixtures';

function fakeApi() {
  return createFakeApi({
    'environment.summary': () => summary,
    'environment.check': () => reportReady,
    'image.status': () => imageReady,
    'models.list': () => models,
    'dataset.scan': () => scanClean,
    'dataset.thumbnail': () => failWith('not_found', 'No preview in these tests.'),
    'fs.completeFolder': () => ({ folder: '/', entries: [] }),
  });
}

async function go(hash: string) {
  await act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
}

beforeEach(() => {
  window.location.hash = '#/new/environment';
  setApi(fakeApi());
});

afterEach(() => {
  setApi(null);
  clearWizardState();
  clearThumbnailCache();
  window.location.hash = '';
});

describe('screenFor', () => {
  test.each([
    ['', { step: 'environment' }],
    ['#/new', { step: 'environment' }],
    ['#/new/dataset', { step: 'dataset' }],
    ['#/new/train', { step: 'train' }],
    ['#/runs', { runs: { id: undefined, results: false } }],
    ['#/runs/abc', { runs: { id: 'abc', results: false } }],
    ['#/runs/abc/results', { runs: { id: 'abc', results: true } }],
    ['#/nowhere', {}],
  ])('%s', (hash, screen) => {
    expect(screenFor(parseRoute(hash))).toEqual(screen);
  });
});

describe('The app frame', () => {
  test('moving to another step moves focus to its heading, which screen readers announce', async () => {
    const user = userEvent.setup();
    render(<App />);
    const nav = screen.getByRole('navigation', { name: 'Steps' });
    expect(within(nav).getByRole('link', { name: /Environment/ })).toHaveAttribute('aria-current', 'step');
    await user.click(within(nav).getByRole('link', { name: /Dataset/ }));
    await go('#/new/dataset'); // jsdom does not follow hash links by itself
    expect(screen.getByRole('heading', { level: 1, name: 'Dataset' })).toHaveFocus();
    expect(within(nav).getByRole('link', { name: /Dataset/ })).toHaveAttribute('aria-current', 'step');
  });

  test('keyboard order: skip link, theme, the steps, then the step itself', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.tab();
    expect(screen.getByRole('link', { name: 'Skip to content' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('combobox', { name: 'Theme' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('link', { name: /Environment/ })).toHaveFocus();
    for (let i = 0; i < 5; i++) await user.tab(); // Dataset … Results, Runs
    expect(screen.getByRole('link', { name: 'Runs' })).toHaveFocus();
    await user.tab();
    expect(within(screen.getByRole('main')).getByRole('button', { name: /Check again|Checking/ })).toHaveFocus();
  });

  test('the skip link moves focus to the screen without changing the route', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.tab();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('main')).toHaveFocus();
    expect(window.location.hash).toBe('#/new/environment');
  });

  test('completed steps get a ✓ that screen readers hear as "done"', async () => {
    render(<App />);
    const nav = screen.getByRole('navigation', { name: 'Steps' });
    await waitFor(() => expect(within(nav).getByRole('link', { name: /Environment \(done\)/ })).toBeInTheDocument());
    expect(within(nav).getByRole('link', { name: /^Dataset/ })).not.toHaveAccessibleName(/done/);
  });

  test('a reload keeps the wizard’s choices (sessionStorage)', async () => {
    const user = userEvent.setup();
    window.location.hash = '#/new/dataset';
    const first = render(<App />);
    await user.type(screen.getByRole('combobox', { name: 'Folder with your images' }), '/data/birds');
    await user.click(screen.getByRole('button', { name: 'Scan folder' }));
    await screen.findByRole('table');
    await waitFor(() => expect(screen.getAllByText('No preview')).toHaveLength(4)); // the samples, settled
    first.unmount();

    render(<App />);
    expect(screen.getByRole('combobox', { name: 'Folder with your images' })).toHaveValue('/data/birds');
    expect(screen.getByRole('table')).toBeInTheDocument(); // the scan itself was kept
    expect(screen.getByRole('link', { name: /Dataset \(done\)/ })).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByText('No preview')).toHaveLength(4));
  });

  test('an unknown address offers a way back', async () => {
    window.location.hash = '#/nowhere';
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByRole('button', { name: 'Start over' }));
    expect(window.location.hash).toBe('#/new/environment');
  });
});
