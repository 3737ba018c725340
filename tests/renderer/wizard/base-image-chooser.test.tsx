import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ImageProgress, ImageStatus } from '../../../electron/contract';
import { EnvironmentStep } from '../../../renderer/src/wizard/environment/EnvironmentStep';
import { createFakeApi } from '../fake-studio-api';
import { imageMissing, imageReady, reportReady, summary } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

// The offline routes on the Environment step: a docker save archive, an image already on the engine,
// the remembered choice and its check; "Check again" asks for the image too.

afterEach(resetWizardTestState);

const DEFAULT = 'pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime';
const missing = ImageStatus.parse({ ...imageMissing, defaultBaseImage: DEFAULT, baseChosen: false });
const loading = ImageStatus.parse({ ...missing, state: 'loading' });
const loaded = ImageStatus.parse({
  ...missing,
  baseImage: DEFAULT,
  basePresent: true,
  needsConsent: false,
  downloadBytes: 0,
  baseChosen: true,
  baseCheck: {
    image: DEFAULT,
    verdict: 'pytorch_2_6',
    torchVersion: '2.6.0',
    message: 'PyTorch 2.6.0: what the trainer is made for.',
  },
});
const onTwin = ImageStatus.parse({
  ...loaded,
  baseImage: 'lab/torch:old',
  baseCheck: {
    image: 'lab/torch:old',
    verdict: 'other_torch',
    torchVersion: '2.1.0',
    message: 'This image has PyTorch 2.1.0, not 2.6: the trainer is tested on 2.6 and may fail or behave differently.',
  },
});

function setup(image: ImageStatus) {
  return createFakeApi({
    'environment.summary': () => summary,
    'environment.check': () => reportReady,
    'image.status': () => image,
  });
}

describe('Base image: offline routes', () => {
  test('loads an archive by its path on the server, with byte progress, then shows the checked base', async () => {
    const user = userEvent.setup();
    const api = setup(missing);
    api.answer({ 'image.loadArchive': () => loading });
    renderStep(<EnvironmentStep />, { api });
    expect(await screen.findByText('(the default)')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Load the image from a file…' }));
    expect(
      screen.getByText(/docker save pytorch\/pytorch:2\.6\.0-cuda12\.4-cudnn9-runtime -o pytorch-2\.6\.tar/),
    ).toBeInTheDocument();
    await user.type(
      screen.getByRole('textbox', { name: 'Image archive (.tar from docker save)' }),
      '/media/usb/pytorch-2.6.tar',
    );
    await user.click(screen.getByRole('button', { name: 'Load' }));
    expect(api.inputsOf('image.loadArchive')).toEqual([{ path: '/media/usb/pytorch-2.6.tar' }]);

    act(() =>
      api.emit(
        'image.progress',
        ImageProgress.parse({
          phase: 'loading',
          layersDone: 0,
          layersTotal: 0,
          bytesDone: 1.5e9,
          bytesTotal: 6e9,
          speedBytesPerS: 150e6,
          etaS: 30,
          message: 'Loading the base image from pytorch-2.6.tar: 1.5 GB of 6.0 GB.',
        }),
      ),
    );
    expect(await screen.findByText('Loading the base image from the file')).toBeInTheDocument();
    expect(screen.getByText('1.5 GB of 6.0 GB (25 %)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeInTheDocument();

    api.answer({ 'image.status': () => loaded });
    act(() =>
      api.emit(
        'image.progress',
        ImageProgress.parse({
          ...loaded,
          phase: 'done',
          layersDone: 0,
          layersTotal: 0,
          bytesDone: 0,
          bytesTotal: null,
          speedBytesPerS: null,
          etaS: null,
          message: 'Loaded.',
        }),
      ),
    );
    expect(await screen.findByText('(your choice)')).toBeInTheDocument();
    expect(screen.getByText('PyTorch 2.6.0: what the trainer is made for.')).toBeInTheDocument();
    // Nothing to download any more: the trainer is built on the loaded base.
    expect(screen.getByRole('button', { name: 'Prepare the training image' })).toBeInTheDocument();
  });

  test('lists the images on the engine, warns about an unrecognised one, and goes back to the default', async () => {
    const user = userEvent.setup();
    const api = setup(missing);
    api.answer({
      'image.localImages': () => ({
        images: [
          { tag: DEFAULT, id: 'sha256:aa', sizeBytes: 7.6e9, createdAt: null, recognised: true },
          { tag: 'lab/torch:old', id: 'sha256:bb', sizeBytes: 5e9, createdAt: null, recognised: false },
        ],
      }),
      'image.useBase': ({ image }) => (image === null ? missing : onTwin),
    });
    renderStep(<EnvironmentStep />, { api });
    await user.click(await screen.findByRole('button', { name: 'Use an image already on this engine' }));
    const group = await screen.findByRole('group', { name: 'Images on this engine' });
    expect(within(group).getAllByRole('radio')).toHaveLength(2);
    expect(within(group).getByText('PyTorch 2.6')).toBeInTheDocument();
    await user.click(within(group).getByRole('radio', { name: /lab\/torch:old/ }));
    expect(screen.getByText(/does not recognise this name as a PyTorch 2\.6 image/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Use this image' }));
    expect(api.inputsOf('image.useBase')).toEqual([{ image: 'lab/torch:old' }]);
    expect(
      await screen.findByText('lab/torch:old is not a recognised PyTorch 2.6 image', { exact: false }),
    ).toBeInTheDocument();
    expect(screen.getByText(/PyTorch 2\.1\.0, not 2\.6/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: `Use the default (${DEFAULT})` }));
    expect(api.inputsOf('image.useBase').at(-1)).toEqual({ image: null });
    expect(await screen.findByText('(the default)')).toBeInTheDocument();
  });

  test('Check again asks for the training image too: one removed behind the app is no longer "Ready"', async () => {
    const user = userEvent.setup();
    const api = setup(ImageStatus.parse({ ...imageReady, defaultBaseImage: DEFAULT }));
    renderStep(<EnvironmentStep />, { api });
    expect(await screen.findByText('Ready')).toBeInTheDocument();
    api.answer({ 'image.status': () => ({ ...imageReady, state: 'missing' }) });
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByRole('button', { name: 'Prepare the training image' })).toBeInTheDocument();
    expect(screen.queryByText('Ready')).not.toBeInTheDocument();
    expect(api.count('image.status')).toBe(2);
  });
});
