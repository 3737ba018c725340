import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AttentionMap, Prediction, RunResults } from '../../../../electron/contract';
import { setApi } from '../../../../renderer/src/api/api';
import {
  attentionPixels,
  colour,
  decodeGrid,
  tokenValues,
} from '../../../../renderer/src/runs/results/attention/attention-map';
import { MistakesGallery } from '../../../../renderer/src/runs/results/MistakesGallery';
import { PredictionsView } from '../../../../renderer/src/runs/results/PredictionsView';
import { FakeStudioApi, ok } from '../../fake-studio-api';

const b64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));
// A 2×3 grid (2 rows, 3 columns), as the trainer writes it: one byte per patch, row-major.
const map: AttentionMap = { grid: [2, 3], cls: b64([0, 51, 255, 10, 20, 30]), dist: b64([255, 51, 0, 30, 20, 11]) };

function mistake(path: string, attention?: AttentionMap): RunResults['misclassified'][number] {
  return { path, trueLabel: 'cat', predictedLabel: 'dog', confidence: 0.9, ...(attention ? { attention } : {}) };
}

// jsdom has no 2D canvas: a stand-in records what the overlay paints.
const painted: Uint8ClampedArray[] = [];
const context = {
  createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
  putImageData: (image: { data: Uint8ClampedArray }) => painted.push(image.data),
};

beforeEach(() => {
  painted.length = 0;
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
    () => context as unknown as CanvasRenderingContext2D,
  );
  setApi(new FakeStudioApi().handle('runs.image', ({ file }) => ok({ mime: 'image/png', dataBase64: btoa(file) })));
});
afterEach(() => {
  setApi(null);
  vi.restoreAllMocks();
});

describe('attention grid decoding', () => {
  it('decodes the base64 bytes row-major, per token, and averages the two tokens of a distilled model', () => {
    expect([...decodeGrid(map.cls)]).toEqual([0, 51, 255, 10, 20, 30]);
    expect([...tokenValues(map, 'dist')]).toEqual([255, 51, 0, 30, 20, 11]);
    expect([...tokenValues(map, 'average')]).toEqual([128, 51, 128, 20, 20, 21]); // (0 + 255) / 2 rounds up
    expect([...tokenValues({ grid: [2, 3], cls: map.cls }, 'dist')]).toEqual([0, 51, 255, 10, 20, 30]); // no dist
  });

  it('colours one RGBA pixel per patch: strong attention bright and opaque, weak dark and see-through', () => {
    const pixels = attentionPixels(map, 'cls');
    expect(pixels).toHaveLength(2 * 3 * 4);
    expect([...pixels.slice(0, 4)]).toEqual(colour(0));
    expect([...pixels.slice(8, 12)]).toEqual([252, 255, 164, 255]); // the strongest patch (255)
    expect(colour(0)[3]).toBeLessThan(colour(255)[3]);
    expect(colour(0)[0] + colour(0)[1]).toBeLessThan(colour(200)[0] + colour(200)[1]);
  });
});

describe('the overlay in the mistakes gallery', () => {
  it('is off at first; the toggle shows it on the images that have a map, the slider sets its opacity', async () => {
    const user = userEvent.setup();
    render(<MistakesGallery runId="run-1" mistakes={[mistake('a.jpg', map), mistake('b.jpg')]} />);
    expect(await screen.findAllByAltText('cat predicted as dog')).toHaveLength(2);
    expect(screen.getByText(/Attention rollout: which parts of the image/)).toBeInTheDocument();
    expect(screen.queryByTestId('attention-overlay')).toBeNull();
    expect(screen.queryByLabelText('Overlay opacity')).toBeNull();

    await user.click(screen.getByRole('checkbox', { name: 'Show where the model looked' }));
    const overlays = await screen.findAllByTestId('attention-overlay');
    expect(overlays).toHaveLength(1); // b.jpg has no map
    const card = screen.getByText('a.jpg').closest('li')!;
    expect(within(card).getByTestId('attention-overlay')).toHaveAttribute('width', '3'); // columns
    expect(overlays[0]).toHaveAttribute('height', '2');
    expect(overlays[0]).toHaveStyle({ opacity: '0.6' });

    const slider = screen.getByRole('slider', { name: 'Overlay opacity' });
    expect(slider).toHaveAttribute('aria-valuetext', '60 %');
    fireEvent.change(slider, { target: { value: '50' } }); // jsdom has no arrow keys on a range (Playwright does)
    expect(screen.getByTestId('attention-overlay')).toHaveStyle({ opacity: '0.5' });
    expect(painted.at(-1)).toEqual(attentionPixels(map, 'cls')); // the class token's map by default
    const token = screen.getByRole('combobox', { name: 'Map of' }); // a distilled model: a choice
    await user.selectOptions(token, 'the distillation token');
    expect(painted.at(-1)).toEqual(attentionPixels(map, 'dist'));

    await user.click(screen.getByRole('checkbox', { name: 'Show where the model looked' }));
    expect(screen.queryByTestId('attention-overlay')).toBeNull();
  });

  it('lays the map over the part of the tile the model saw (its centre crop), or the whole tile', async () => {
    const user = userEvent.setup();
    const cropped: AttentionMap = { ...map, crop: 0.875 };
    render(<MistakesGallery runId="run-1" mistakes={[mistake('a.jpg', cropped), mistake('b.jpg', map)]} />);
    await user.click(await screen.findByRole('checkbox', { name: 'Show where the model looked' }));
    const inA = within(screen.getByText('a.jpg').closest('li')!).getByTestId('attention-overlay');
    expect(inA.style.width).toBe('87.5%');
    expect(inA.style.height).toBe('87.5%');
    expect(inA.style.inset).toBe('6.25% auto auto 6.25%');
    const inB = within(screen.getByText('b.jpg').closest('li')!).getByTestId('attention-overlay');
    expect(inB.style.width).toBe(''); // no crop recorded (older files): the stylesheet's whole tile
  });

  it('offers no toggle for a run without maps (older runs, models that are not ViTs)', async () => {
    render(<MistakesGallery runId="run-1" mistakes={[mistake('a.jpg')]} />);
    await screen.findByAltText('cat predicted as dog');
    expect(screen.queryByRole('checkbox', { name: 'Show where the model looked' })).toBeNull();
  });
});

describe('the overlay in "Try the model" results', () => {
  it('draws the map over the rows that have one, when toggled, and says only the first 200 images get one', async () => {
    const user = userEvent.setup();
    const row = (file: string, attention?: AttentionMap): Prediction => ({
      file,
      predicted: 'cat',
      confidence: 0.9,
      topK: [{ label: 'cat', probability: 0.9 }],
      error: null,
      ...(attention ? { attention } : {}),
    });
    const single: AttentionMap = { grid: [2, 3], cls: map.cls }; // a plain (not distilled) model
    render(
      <PredictionsView
        runId="run-1"
        result={{
          folder: '/data/new',
          csvPath: '/runs/run-1/predictions/x.csv',
          total: 2,
          classified: 2,
          byClass: [{ label: 'cat', count: 2 }],
          rows: [row('a.jpg', single), row('z.jpg')],
          truncated: false,
          durationS: 1,
          device: null,
        }}
      />,
    );
    expect(screen.getByText('Maps are made for the first 200 images of a folder only.')).toBeInTheDocument();
    expect(screen.queryByTestId('attention-overlay')).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'Show where the model looked' }));
    const overlay = screen.getByTestId('attention-overlay');
    expect(overlay.closest('tr')).toHaveTextContent('a.jpg');
    expect(screen.getAllByTestId('attention-overlay')).toHaveLength(1);
    expect(screen.queryByRole('combobox', { name: 'Map of' })).toBeNull(); // one token only
    expect(painted.at(-1)).toEqual(attentionPixels(single, 'cls'));
  });
});
