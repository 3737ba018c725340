import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ImageStatus } from '../../../electron/contract';
import { EnvironmentStep } from '../../../renderer/src/wizard/environment/EnvironmentStep';
import { createFakeApi } from '../fake-studio-api';
import { imageMissing, imageReady, reportReady, summary } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(resetWizardTestState);

// image.status while Docker does not answer (issue 15): state 'unknown' with Docker's error. The
// step must not offer a download (the image may well be there) and must say what to do.
const imageUnknown = ImageStatus.parse({
  ...imageMissing,
  state: 'unknown',
  needsConsent: false,
  downloadBytes: null,
  error: {
    kind: 'docker_unreachable',
    message: 'Docker is not answering, so DeiT Studio cannot tell whether the training image is there.',
    fix: 'Start the Docker Engine. — sudo systemctl enable --now docker',
    detail: 'Docker was running earlier but has stopped. (connect ECONNREFUSED /var/run/docker.sock)',
  },
});

function panel() {
  return screen.getByRole('region', { name: 'Training image' });
}

test('an unknown image says Docker is not answering, offers no download, and Check again asks once more', async () => {
  const user = userEvent.setup();
  const api = createFakeApi({
    'environment.summary': () => summary,
    'environment.check': () => reportReady,
    'image.status': () => imageUnknown,
  });
  renderStep(<EnvironmentStep />, { api });
  expect(
    await screen.findByText('Docker is not answering, so DeiT Studio cannot tell whether the training image is there.'),
  ).toBeInTheDocument();
  expect(within(panel()).getByText('Unknown')).toBeInTheDocument();
  expect(within(panel()).getByText(/sudo systemctl enable --now docker/)).toBeInTheDocument();
  // No download, no build, no base image choice while the engine is away.
  expect(within(panel()).queryByRole('button', { name: /Download|Prepare/ })).not.toBeInTheDocument();
  expect(within(panel()).queryByText(/will be downloaded|needs to download/)).not.toBeInTheDocument();
  expect(screen.getByRole('button', { name: /Next: Dataset/ })).toHaveAccessibleDescription(
    'Docker is not answering: start it, then press “Check again”.',
  );

  // Docker is back: "Try again" asks for the status again, and the image is there after all.
  api.answer({ 'image.status': () => imageReady });
  const before = api.inputsOf('image.status').length;
  await user.click(within(panel()).getByRole('button', { name: 'Try again' }));
  await waitFor(() => expect(api.inputsOf('image.status').length).toBe(before + 1));
  expect(await within(panel()).findByText('Ready')).toBeInTheDocument();
  expect(within(panel()).queryByText('Unknown')).not.toBeInTheDocument();
});
