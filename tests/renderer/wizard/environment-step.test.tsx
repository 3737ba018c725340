import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EnvironmentStep } from '../../../renderer/src/wizard/environment/EnvironmentStep';
import type { EnvironmentReport } from '../../../electron/contract';
import { createFakeApi, deferred, failWith } from '../fake-studio-api';
import {
  imageMissing,
  imagePulling,
  imageReady,
  pullProgress,
  reportNoDocker,
  reportNoGpu,
  reportReady,
  summary,
} from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(resetWizardTestState);

function nextButton() {
  return screen.getByRole('button', { name: /Next: Dataset/ });
}

function setup(report: EnvironmentReport, image = imageReady) {
  return createFakeApi({
    'environment.summary': () => summary,
    'environment.check': () => report,
    'image.status': () => image,
  });
}

describe('Environment step', () => {
  test('while the doctor runs it says so, and Next waits', async () => {
    const pending = deferred<EnvironmentReport>();
    const api = setup(reportReady);
    api.answer({ 'environment.check': () => pending.promise });
    renderStep(<EnvironmentStep />, { api });
    expect(screen.getByText(/Checking the driver, Docker and GPU access/)).toBeInTheDocument();
    expect(nextButton()).toHaveAttribute('aria-disabled', 'true');
    expect(nextButton()).toHaveAccessibleDescription(/Wait for the checks/);
    await act(async () => pending.resolve(reportReady));
    expect(await screen.findByText('GPU training works; one item deserves a look.')).toBeInTheDocument();
  });

  test('a ready machine lists each check with icon and word, and Next goes to the dataset', async () => {
    const user = userEvent.setup();
    renderStep(<EnvironmentStep />, { api: setup(reportReady) });
    const list = await screen.findByRole('list', { name: 'Environment checks' });
    const docker = within(list).getByRole('listitem', { name: 'Docker' });
    expect(docker).toHaveTextContent('✓OK');
    expect(within(list).getByRole('listitem', { name: 'Memory' })).toHaveTextContent('!Warning');
    expect(screen.getByText(/Training will use the GPU: NVIDIA H100/)).toBeInTheDocument();
    expect(await screen.findByText('Ready')).toBeInTheDocument();
    await waitFor(() => expect(nextButton()).not.toHaveAttribute('aria-disabled'));
    await user.click(nextButton());
    expect(window.location.hash).toBe('#/new/dataset');
  });

  test('a failed check shows the typed error with its fix, and Try again asks again', async () => {
    const user = userEvent.setup();
    const api = setup(reportReady);
    api.answer({
      'environment.check': () =>
        failWith('internal', 'The doctor stopped halfway.', 'Try again in a moment.', 'ECONNRESET at probe'),
    });
    renderStep(<EnvironmentStep />, { api });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The doctor stopped halfway.');
    expect(alert).toHaveTextContent('Try again in a moment.');
    expect(within(alert).getByText('ECONNRESET at probe')).not.toBeVisible(); // inside closed <details>
    api.answer({ 'environment.check': () => reportReady });
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('GPU training works; one item deserves a look.')).toBeInTheDocument();
    expect(api.inputsOf('environment.check')).toHaveLength(2);
  });

  test('a blocking check shows its fix and copies its command', async () => {
    const user = userEvent.setup();
    renderStep(<EnvironmentStep />, { api: setup(reportNoDocker, imageMissing) });
    const docker = await screen.findByRole('listitem', { name: 'Docker' });
    expect(docker).toHaveTextContent('✕Blocking');
    expect(docker).toHaveTextContent('Install Docker Engine and start it.');
    await user.click(within(docker).getByRole('button', { name: 'Copy command for Docker' }));
    expect(await navigator.clipboard.readText()).toBe('sudo systemctl start docker');
    expect(within(docker).getByRole('status')).toHaveTextContent('Copied');
    expect(screen.getByText('This machine cannot train yet.')).toBeInTheDocument();
    // Without Docker the image cannot be prepared either, and the step says what to do.
    expect(screen.getByRole('button', { name: /Download 3\.4 GB/ })).toBeDisabled();
    expect(nextButton()).toHaveAccessibleDescription('Fix the blocking items, then press “Check again”.');
  });

  test('without a usable GPU the user can choose CPU mode, plainly labelled slow', async () => {
    const user = userEvent.setup();
    renderStep(<EnvironmentStep />, { api: setup(reportNoGpu) });
    const cpu = await screen.findByRole('checkbox', { name: 'Use CPU mode (slow)' });
    expect(screen.getByText(/expect hours where a GPU needs minutes/)).toBeInTheDocument();
    await waitFor(() => expect(nextButton()).toHaveAccessibleDescription(/choose CPU mode \(slow\)/));
    expect(nextButton()).toHaveAttribute('aria-disabled', 'true');
    await user.click(cpu);
    await waitFor(() => expect(nextButton()).not.toHaveAttribute('aria-disabled'));
    expect(JSON.parse(sessionStorage.getItem('deit-studio.wizard.v1')!).device).toBe('cpu');
  });

  test('without any NVIDIA driver the headline says so (not Docker), and the GPU items are not "Blocking" next to CPU mode', async () => {
    const noDriver: EnvironmentReport = {
      ...reportNoGpu,
      checks: [
        {
          id: 'driver',
          title: 'NVIDIA driver',
          status: 'blocking',
          // As the core's check-driver.ts words a machine without a driver.
          message:
            'No NVIDIA driver or GPU was found on this machine. Training on a GPU needs an NVIDIA GPU and its driver; without them DeiT Studio trains on the CPU (slow).',
          fix: { text: 'Install the NVIDIA driver for your GPU.' },
        },
        reportNoGpu.checks[1]!, // Docker works
        {
          id: 'gpu-container',
          title: 'GPU access from Docker',
          status: 'skipped',
          message: 'Checked once the NVIDIA driver works.',
        },
        ...reportNoGpu.checks.slice(3),
      ],
    };
    renderStep(<EnvironmentStep />, { api: setup(noDriver) });
    expect(
      await screen.findByText(
        'No NVIDIA driver or GPU was found on this machine. You can train on the processor instead (CPU mode, below): slow, but it works.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Docker yet/)).not.toBeInTheDocument();
    const driver = screen.getByRole('listitem', { name: 'NVIDIA driver' });
    expect(driver).toHaveTextContent('iNeeded for GPU');
    expect(screen.queryByText('Blocking')).not.toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Use CPU mode (slow)' })).toBeInTheDocument();
  });

  test('a working driver whose GPU Docker cannot reach: the headline names Docker, the item is not "Blocking"', async () => {
    renderStep(<EnvironmentStep />, { api: setup(reportNoGpu) });
    expect(await screen.findByText(/^The GPU cannot be used from Docker yet/)).toBeInTheDocument();
    const probe = screen.getByRole('listitem', { name: 'GPU access from Docker' });
    expect(probe).toHaveTextContent('iNeeded for GPU');
    expect(probe).toHaveTextContent('Install the NVIDIA Container Toolkit');
    expect(screen.queryByText('Blocking')).not.toBeInTheDocument();
  });

  test('Check again runs the doctor again', async () => {
    const user = userEvent.setup();
    const api = setup(reportNoGpu);
    renderStep(<EnvironmentStep />, { api });
    await screen.findByRole('checkbox', { name: 'Use CPU mode (slow)' });
    api.answer({ 'environment.check': () => reportReady });
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByText(/Training will use the GPU/)).toBeInTheDocument();
    expect(screen.queryByRole('checkbox', { name: /CPU mode/ })).not.toBeInTheDocument();
  });
});

describe('Training image', () => {
  test('asks before a large download, then shows bytes, layers, speed and time left, and can cancel', async () => {
    const user = userEvent.setup();
    const api = setup(reportReady, imageMissing);
    api.answer({ 'image.ensure': () => imagePulling, 'image.cancel': () => ({ ...imageMissing, state: 'cancelled' }) });
    renderStep(<EnvironmentStep />, { api });
    expect(await screen.findByText('3.4 GB')).toBeInTheDocument();
    expect(api.inputsOf('image.ensure')).toHaveLength(0); // nothing downloads without asking
    await user.click(screen.getByRole('button', { name: 'Download 3.4 GB and prepare' }));
    expect(api.inputsOf('image.ensure')).toEqual([{ consent: true }]);
    expect(await screen.findByRole('button', { name: 'Cancel' })).toBeInTheDocument();

    act(() => api.emit('image.progress', pullProgress));
    const bar = screen.getByRole('progressbar', { name: 'Training image progress' });
    expect(bar).toHaveAttribute('aria-valuetext', '50 percent');
    expect(screen.getByText(/1\.7 GB of 3\.4 GB \(50 %\)/)).toBeInTheDocument();
    expect(screen.getByText('3 of 12')).toBeInTheDocument();
    expect(screen.getByText('25 MB/s')).toBeInTheDocument();
    expect(screen.getByText('about 1 min 10 s')).toBeInTheDocument();
    expect(screen.getByText('Downloading the PyTorch base image, 50 percent.')).toBeInTheDocument();
    expect(nextButton()).toHaveAccessibleDescription('Wait for the training image to be ready.');

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.inputsOf('image.cancel')).toHaveLength(1);
    expect(await screen.findByText(/was cancelled/)).toBeInTheDocument();
  });

  test('opened while a download runs, it shows where the download is at once', async () => {
    renderStep(<EnvironmentStep />, { api: setup(reportReady, { ...imagePulling, progress: pullProgress }) });
    const bar = await screen.findByRole('progressbar', { name: 'Training image progress' });
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuetext', '50 percent'));
    expect(screen.getByText('3 of 12')).toBeInTheDocument();
    expect(screen.queryByText('Starting…')).not.toBeInTheDocument();
  });

  test('when the pull ends the status is asked again and Next opens', async () => {
    const api = setup(reportReady, imagePulling);
    renderStep(<EnvironmentStep />, { api });
    await screen.findByRole('progressbar', { name: 'Training image progress' });
    api.answer({ 'image.status': () => imageReady });
    act(() => api.emit('image.progress', { ...pullProgress, phase: 'done', bytesDone: pullProgress.bytesTotal! }));
    expect(await screen.findByText('Ready')).toBeInTheDocument();
    await waitFor(() => expect(nextButton()).not.toHaveAttribute('aria-disabled'));
  });

  test('a failed image shows its typed error and offers to try again', async () => {
    const api = setup(reportReady, {
      ...imageMissing,
      state: 'error',
      needsConsent: false,
      error: { kind: 'disk_full', message: 'The disk is full.', fix: 'Free 10 GiB and try again.' },
    });
    renderStep(<EnvironmentStep />, { api });
    expect(await screen.findByText('The disk is full.')).toBeInTheDocument();
    expect(screen.getByText('Free 10 GiB and try again.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled();
  });
});
