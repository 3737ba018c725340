import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DatasetScan } from '../../../electron/contract';
import { DatasetStep } from '../../../renderer/src/wizard/dataset/DatasetStep';
import { createFakeApi, deferred, failWith } from '../fake-studio-api';
import { scanClean, scanOneClass, scanWithWarnings } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(() => {
  resetWizardTestState();
  delete window.deitStudio;
});

// A 1×1 PNG, as dataset.thumbnail sends it.
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** Waits for the thumbnails to arrive, so their late updates do not spill past the test. */
async function thumbnailsShown(count: number) {
  await waitFor(() => expect(document.querySelectorAll('.thumbnail img')).toHaveLength(count));
}

function next() {
  return screen.getByRole('button', { name: /Next: Settings/ });
}

function scanning(result: DatasetScan = scanClean) {
  return createFakeApi({
    'dataset.scan': () => result,
    'dataset.thumbnail': () => ({ mime: 'image/png', dataBase64: PIXEL }),
    'dataset.similar': ({ path }) => ({
      root: path,
      pairs: [],
      pairsTotal: 0,
      compared: 10,
      notCompared: { unsupported: 0, undecodable: 0, plain: 0 },
      durationMs: 5,
    }),
    'fs.completeFolder': ({ partial }) => ({
      folder: '/data',
      entries: ['birds', 'bugs', 'messy']
        .map((name) => ({ name, path: `/data/${name}` }))
        .filter((e) => e.path.startsWith(partial) || partial.endsWith('/')),
    }),
  });
}

async function chooseFolder(path: string) {
  const user = userEvent.setup();
  const field = screen.getByRole('combobox', { name: 'Folder with your images' });
  await user.clear(field);
  await user.type(field, path);
  await user.click(screen.getByRole('button', { name: 'Scan folder' }));
  return user;
}

describe('Dataset step', () => {
  test('before a folder is chosen it shows the expected layout and promises not to touch it', () => {
    renderStep(<DatasetStep />, { api: scanning() });
    expect(screen.getByText(/nothing in the folder is ever moved, changed or deleted/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'What the folder should look like' })).toBeInTheDocument();
    expect(next()).toHaveAttribute('aria-disabled', 'true');
    expect(next()).toHaveAccessibleDescription('Choose the folder with your images.');
  });

  test('a scan shows its streaming progress, then classes, counts, split and thumbnails', async () => {
    const pending = deferred<DatasetScan>();
    const api = scanning();
    api.answer({ 'dataset.scan': () => pending.promise });
    renderStep(<DatasetStep />, { api });
    await chooseFolder('/data/birds');
    expect(api.inputsOf('dataset.scan')).toEqual([{ path: '/data/birds', valRatio: 0.2 }]);
    expect(screen.getByRole('status')).toHaveTextContent('Starting the scan');
    act(() =>
      api.emit('dataset.progress', {
        root: '/data/birds',
        filesSeen: 81234,
        filesRead: 0,
        filesTotal: null,
        phase: 'listing',
      }),
    );
    expect(screen.getByRole('status')).toHaveTextContent('Listing files: 81,234 so far');
    act(() =>
      api.emit('dataset.progress', {
        root: '/data/birds',
        filesSeen: 100000,
        filesRead: 25000,
        filesTotal: 100000,
        phase: 'reading',
      }),
    );
    expect(screen.getByRole('status')).toHaveTextContent('Reading images: 25,000 of 100,000');
    expect(screen.getByRole('progressbar', { name: 'Dataset scan progress' })).toHaveAttribute(
      'aria-valuetext',
      '25 percent',
    );
    expect(next()).toHaveAccessibleDescription('Wait for the scan to finish.');

    await act(async () => pending.resolve(scanClean));
    const table = screen.getByRole('table', { name: 'Images per class, largest first' });
    const finch = within(table).getByRole('row', { name: /finch/ });
    expect(
      within(finch)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['80', '20', '100']);
    expect(screen.getByText('216 images for training, 54 for validation.')).toBeInTheDocument();
    expect(screen.getByRole('slider', { name: /Validation share/ })).toHaveAttribute(
      'aria-valuetext',
      '20 percent of each class for validation',
    );
    expect(await screen.findByRole('img', { name: 'finch: 001.jpg' })).toHaveAttribute(
      'src',
      `data:image/png;base64,${PIXEL}`,
    );
    expect(api.inputsOf('dataset.thumbnail')[0]).toEqual({ root: '/data/birds', file: 'finch/001.jpg' });
    expect(screen.getByText('No problems found')).toBeInTheDocument();
    expect(next()).not.toHaveAttribute('aria-disabled');
    await userEvent.setup().click(next());
    expect(window.location.hash).toBe('#/new/settings');
  });

  test('warnings say what to do; skipped files are listed with their reasons on request', async () => {
    renderStep(<DatasetStep />, { api: scanning(scanWithWarnings) });
    const user = await chooseFolder('/data/messy');
    const warnings = await screen.findByRole('list', { name: 'Dataset warnings' });
    const tiny = within(warnings).getByRole('listitem', { name: 'Very small classes' });
    expect(tiny).toHaveTextContent('!Warning');
    expect(tiny).toHaveTextContent('What you can do: Add images to them');
    const skipped = within(warnings).getByRole('listitem', { name: 'Some files are left out' });
    const files = within(skipped).getByRole('list', { name: 'Left-out files' });
    expect(files).not.toBeVisible();
    await user.click(within(skipped).getByText('Show left-out files (3)'));
    expect(files).toBeVisible();
    expect(within(files).getByText('finch/broken.jpg').closest('li')).toHaveTextContent(
      'The file is not a valid JPEG image.',
    );
    expect(within(skipped).getByRole('list', { name: 'Reasons files were left out' })).toHaveTextContent('1 × damaged');
    expect(next()).toHaveAccessibleDescription(/Look at the warnings above; you can train anyway/);
  });

  test('a running scan can be stopped; stopping is not an error', async () => {
    const pending = deferred<DatasetScan>();
    const api = scanning();
    api.answer({
      'dataset.scan': async () => {
        await pending.promise;
        return failWith('cancelled', 'The scan was cancelled.');
      },
      'dataset.cancelScan': () => ({ cancelled: true }),
    });
    renderStep(<DatasetStep />, { api });
    const user = await chooseFolder('/data/huge');
    await user.click(screen.getByRole('button', { name: 'Stop scan' }));
    expect(api.inputsOf('dataset.cancelScan')).toEqual([{ path: '/data/huge' }]);
    await act(async () => pending.resolve(scanClean));
    expect(screen.getByText('The scan was stopped. Scan a folder to continue.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(api.inputsOf('dataset.scan')).toHaveLength(1); // and no automatic re-scan
  });

  test('a scan that fails shows the typed error with its fix', async () => {
    const api = scanning();
    api.answer({
      'dataset.scan': () => failWith('not_found', 'There is no folder /data/bird.', 'Check the spelling of the path.'),
    });
    renderStep(<DatasetStep />, { api });
    await chooseFolder('/data/bird');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('There is no folder /data/bird.');
    expect(alert).toHaveTextContent('Check the spelling of the path.');
    expect(next()).toHaveAttribute('aria-disabled', 'true');
  });

  test('a folder with one class cannot be trained on, and the step says why', async () => {
    renderStep(<DatasetStep />, { api: scanning(scanOneClass) });
    await chooseFolder('/data/one');
    expect(await screen.findByRole('alert')).toHaveTextContent('A classifier needs at least two.');
    expect(screen.getByRole('listitem', { name: 'Only one class' })).toHaveTextContent('✕Blocking');
    expect(next()).toHaveAttribute('aria-disabled', 'true');
  });

  test('moving the validation share re-splits every class at once, by the trainer’s rule, without a new scan', async () => {
    const api = scanning();
    renderStep(<DatasetStep />, { api, initial: { datasetPath: scanClean.root, scan: scanClean } });
    const slider = screen.getByRole('slider', { name: /Validation share/ });
    fireEvent.change(slider, { target: { value: '0.25' } });
    fireEvent.change(slider, { target: { value: '0.3' } });
    // 100 → 30, 90 → 27, 80 → 24 validation images.
    expect(screen.getByText('189 images for training, 81 for validation.')).toBeInTheDocument();
    const finch = within(screen.getByRole('table')).getByRole('row', { name: /finch/ });
    await waitFor(() =>
      expect(
        within(finch)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ).toEqual(['70', '30', '100']),
    );
    // Kept by a passive effect, which React may run a moment after the table is drawn.
    await waitFor(() => expect(JSON.parse(sessionStorage.getItem('deit-studio.wizard.v1')!).valRatio).toBe(0.3));
    expect(api.inputsOf('dataset.scan')).toHaveLength(0);
    await thumbnailsShown(4);
  });

  test('an existing train/val split is used as it is, without a slider', async () => {
    const split = DatasetScan.parse({
      ...scanClean,
      layout: 'split',
      split: { kind: 'existing', valRatio: null, trainFolder: 'train', valFolder: 'validation' },
    });
    renderStep(<DatasetStep />, { api: scanning(), initial: { datasetPath: split.root, scan: split } });
    expect(screen.getByText(/already has a split/)).toHaveTextContent('train/ and validation/');
    expect(screen.queryByRole('slider')).not.toBeInTheDocument();
    await thumbnailsShown(4);
  });

  test('a scan kept from before the core restarted still gets its thumbnails (the core scans it again quietly)', async () => {
    const api = scanning();
    let registered = false;
    api.answer({
      'dataset.scan': () => {
        registered = true;
        return scanClean;
      },
      'dataset.thumbnail': () =>
        registered
          ? { mime: 'image/png', dataBase64: PIXEL }
          : failWith(
              'validation',
              'Previews are shown only for a folder scanned or classified in this session.',
              'Scan it.',
              'not_scanned',
            ),
    });
    renderStep(<DatasetStep />, { api, initial: { datasetPath: scanClean.root, scan: scanClean } });
    await thumbnailsShown(4);
    expect(api.inputsOf('dataset.scan')).toEqual([{ path: scanClean.root, valRatio: 0.2 }]); // once, for all of them
    expect(screen.queryByText(/Scanning/)).not.toBeInTheDocument();
  });

  test('after a reload without the stored scan, the chosen folder is scanned again', async () => {
    const api = scanning();
    renderStep(<DatasetStep />, { api, initial: { datasetPath: '/data/birds', valRatio: 0.3, scan: null } });
    await waitFor(() => expect(api.inputsOf('dataset.scan')).toEqual([{ path: '/data/birds', valRatio: 0.3 }]));
    expect(await screen.findByRole('table')).toBeInTheDocument();
  });

  test('a huge dataset shows capped lists with "and N more"', async () => {
    const classes = Array.from({ length: 1000 }, (_, i) => ({
      name: `class-${String(i).padStart(4, '0')}`,
      train: 80,
      val: 20,
      samples: [`class-${i}/a.jpg`],
    }));
    const huge = DatasetScan.parse({
      ...scanClean,
      classes,
      totalImages: 100_000,
      // The core sends the first 200 left-out files and the total.
      skipped: Array.from({ length: 200 }, (_, i) => ({
        path: `x/${i}.txt`,
        code: 'not_image',
        reason: 'Not an image.',
      })),
      skippedTotal: 5000,
      skippedByCode: [{ code: 'not_image', count: 5000 }],
    });
    renderStep(<DatasetStep />, { api: scanning(), initial: { datasetPath: huge.root, scan: huge } });
    expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(51); // header + 50
    expect(screen.getByText(/and 950 more classes/)).toBeInTheDocument();
    expect(screen.getByText('and 4,800 more.')).toBeInTheDocument();
    await thumbnailsShown(12); // 12 classes shown, one sample each
    expect(screen.getByText(/and 988 more classes/)).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Show examples of more classes' }));
    await thumbnailsShown(24);
    expect(screen.getByText(/and 976 more classes/)).toBeInTheDocument();
  });
});

describe('Folder path field (serve mode)', () => {
  test('suggests sub-folders; arrows move, Enter takes, Escape closes (aria-activedescendant)', async () => {
    const user = userEvent.setup();
    const api = scanning();
    renderStep(<DatasetStep />, { api });
    const field = screen.getByRole('combobox', { name: 'Folder with your images' });
    await user.type(field, '/data/b');
    const list = await screen.findByRole('listbox', { name: 'Matching folders' });
    expect(field).toHaveAttribute('aria-expanded', 'true');
    expect(
      within(list)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['📁 birds', '📁 bugs']);
    expect(field).not.toHaveAttribute('aria-activedescendant');

    await user.keyboard('{ArrowDown}');
    const [birds, bugs] = within(list).getAllByRole('option');
    expect(field).toHaveAttribute('aria-activedescendant', birds!.id);
    expect(birds).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}');
    expect(field).toHaveAttribute('aria-activedescendant', bugs!.id);
    await user.keyboard('{ArrowDown}'); // wraps
    expect(field).toHaveAttribute('aria-activedescendant', birds!.id);
    await user.keyboard('{ArrowUp}');
    expect(field).toHaveAttribute('aria-activedescendant', bugs!.id);
    await user.keyboard('{Enter}');
    expect(field).toHaveValue('/data/bugs');
    expect(field).toHaveAttribute('aria-expanded', 'false');
    expect(api.inputsOf('dataset.scan')).toHaveLength(0); // Enter on a suggestion only takes it

    await user.keyboard('{Enter}'); // Enter with no suggestion highlighted scans
    expect(api.inputsOf('dataset.scan')).toEqual([{ path: '/data/bugs', valRatio: 0.2 }]);

    await user.clear(field);
    await user.type(field, '/data/m');
    await screen.findByRole('option', { name: /messy/ });
    await user.keyboard('{Escape}');
    expect(field).toHaveAttribute('aria-expanded', 'false');
    expect(field).toHaveValue('/data/m');
  });

  test('suggestions that arrive after the field lost focus (the folder was submitted) stay closed', async () => {
    const user = userEvent.setup();
    const api = scanning();
    renderStep(<DatasetStep />, { api });
    const field = screen.getByRole('combobox', { name: 'Folder with your images' });
    await user.type(field, '/data/b');
    await user.tab(); // before the completion delay is over
    await waitFor(() => expect(api.inputsOf('fs.completeFolder')).toEqual([{ partial: '/data/b' }]));
    await new Promise((resolve) => setTimeout(resolve, 50)); // its answer has arrived
    expect(field).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('option')).toBeNull();
  });

  test('Tab completes a highlighted folder and lists its sub-folders; otherwise Tab leaves the field', async () => {
    const user = userEvent.setup();
    const api = scanning();
    renderStep(<DatasetStep />, { api });
    const field = screen.getByRole('combobox', { name: 'Folder with your images' });
    await user.type(field, '/data/bi');
    await screen.findByRole('option', { name: /birds/ });
    await user.keyboard('{ArrowDown}{Tab}');
    expect(field).toHaveValue('/data/birds/');
    expect(field).toHaveFocus();
    await waitFor(() => expect(api.inputsOf('fs.completeFolder').at(-1)).toEqual({ partial: '/data/birds/' }));
    await user.tab();
    expect(field).not.toHaveFocus();
    expect(screen.getByRole('button', { name: 'Scan folder' })).toHaveFocus();
  });
});

describe('Desktop app', () => {
  function desktop(api: ReturnType<typeof scanning>, pathForFile = (_file: File) => '/data/dropped') {
    window.deitStudio = { call: api.call, on: api.on, pathForFile };
  }

  test('the native dialog picks a folder and scans it', async () => {
    const user = userEvent.setup();
    const api = scanning();
    api.answer({ 'dialog.pickFolder': () => ({ path: '/data/birds' }) });
    desktop(api);
    renderStep(<DatasetStep />, { api });
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    await waitFor(() => expect(api.inputsOf('dataset.scan')).toEqual([{ path: '/data/birds', valRatio: 0.2 }]));
    expect(screen.getByRole('combobox', { name: 'Folder with your images' })).toHaveValue('/data/birds');
  });

  test('a dropped folder is scanned by its real path', async () => {
    const api = scanning();
    desktop(api);
    renderStep(<DatasetStep />, { api });
    const zone = screen.getByRole('button', { name: 'Choose folder…' }).closest('.folder-chooser')!;
    const folder = new File([], 'dropped');
    fireEvent.dragOver(zone, { dataTransfer: { files: [folder] } });
    fireEvent.drop(zone, { dataTransfer: { files: [folder] } });
    await waitFor(() => expect(api.inputsOf('dataset.scan')).toEqual([{ path: '/data/dropped', valRatio: 0.2 }]));
  });
});
