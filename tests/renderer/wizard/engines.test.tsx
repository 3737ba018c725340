import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EngineEntry, HostKeyCheck, type EnvironmentReport, type SshTarget } from '../../../electron/contract';
import { EnvironmentStep } from '../../../renderer/src/wizard/environment/EnvironmentStep';
import { checklistVerdict } from '../../../renderer/src/wizard/environment/DoctorChecklist';
import { checkServerDraft } from '../../../renderer/src/wizard/environment/engines/server-form';
import { createFakeApi, deferred, failWith, type FakeStudioApi } from '../fake-studio-api';
import { imageReady, reportNoGpu, reportReady, summary } from './fixtures';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(() => {
  resetWizardTestState();
  delete window.deitStudio;
});

// Parsed through the contract: a fake engine or host key the core could not send fails here.
const FINGERPRINT = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
const local = EngineEntry.parse({ id: 'local', kind: 'local', label: 'This computer' });
const gpu1 = EngineEntry.parse({
  id: 'ssh-a1b2c3d4',
  kind: 'ssh',
  label: 'ana@gpu1.lab.example.org',
  target: { user: 'ana', host: 'gpu1.lab.example.org', port: 22 },
  hostKey: { algorithm: 'ssh-ed25519', fingerprint: FINGERPRINT },
});
const check = (status: HostKeyCheck['status']) =>
  HostKeyCheck.parse({ hostKey: { algorithm: 'ssh-ed25519', fingerprint: FINGERPRINT }, status });

/** The Environment step with the given engines; `environment.check` answers `reports[currentId]`. */
function setup(engines: EngineEntry[], currentId = 'local', reports: Record<string, EnvironmentReport> = {}) {
  const state = { engines: [...engines], currentId };
  const api: FakeStudioApi = createFakeApi({
    'environment.summary': () => summary,
    'environment.check': () => reports[state.currentId] ?? reportReady,
    'image.status': () => imageReady,
    'engines.list': () => ({ engines: state.engines, currentId: state.currentId }),
    'engines.choose': ({ id }) => {
      state.currentId = id;
      return { currentId: id };
    },
    'engines.remove': ({ id }) => {
      state.engines = state.engines.filter((e) => e.id !== id);
      if (state.currentId === id) state.currentId = 'local';
      return { removed: true };
    },
    'engines.checkHost': () => check('unknown'),
    'engines.add': ({ target, acceptFingerprint }) => {
      const engine = EngineEntry.parse({
        id: 'ssh-a1b2c3d4',
        kind: 'ssh',
        label: `${target.user}@${target.host}${target.port === 22 ? '' : `:${target.port}`}`,
        target,
        hostKey: { algorithm: 'ssh-ed25519', fingerprint: acceptFingerprint },
      });
      state.engines.push(engine);
      state.currentId = engine.id;
      return { engine };
    },
  });
  renderStep(<EnvironmentStep />, { api });
  return { api, state };
}

async function openAddForm(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: 'Add a GPU server' }));
  return screen.getByRole('form', { name: 'Add a GPU server' });
}

async function fillServer(user: ReturnType<typeof userEvent.setup>, form: HTMLElement, port = '22') {
  await user.type(within(form).getByRole('textbox', { name: 'User name' }), 'ana');
  await user.type(within(form).getByRole('textbox', { name: 'Server' }), 'gpu1.lab.example.org');
  const portField = within(form).getByRole('textbox', { name: 'SSH port' });
  await user.clear(portField);
  await user.type(portField, port);
}

describe('Where training runs', () => {
  test('lists this computer and the servers, marks the one in use, and the checks name it', async () => {
    setup([local, gpu1], gpu1.id);
    const list = await screen.findByRole('list', { name: 'Docker engines' });
    const server = within(list).getByRole('listitem', { name: 'ana@gpu1.lab.example.org' });
    expect(server).toHaveTextContent('✓In use');
    expect(server).toHaveTextContent(FINGERPRINT);
    expect(within(list).getByRole('listitem', { name: 'This computer' })).not.toHaveTextContent('In use');
    expect(await screen.findByText(/These checks describe the server ana@gpu1\.lab\.example\.org/)).toBeInTheDocument();
    expect(screen.getByText(/checks that the server ana@gpu1\.lab\.example\.org can train/)).toBeInTheDocument();
    // The inventory below is still this computer's: it says so.
    expect(screen.getByRole('region', { name: 'This machine' })).toHaveTextContent(
      'The computer DeiT Studio runs on. Training runs on ana@gpu1.lab.example.org',
    );
  });

  test('choosing another engine runs the checks again on it, and the old report is not shown meanwhile', async () => {
    const user = userEvent.setup();
    const { api } = setup([local, gpu1], 'local', { local: reportNoGpu, [gpu1.id]: reportReady });
    expect(await screen.findByRole('checkbox', { name: 'Use CPU mode (slow)' })).toBeInTheDocument();
    expect(screen.getByText('These checks describe this computer and its Docker Engine.')).toBeInTheDocument();
    const pending = deferred<EnvironmentReport>();
    api.answer({ 'environment.check': () => pending.promise });
    await user.click(screen.getByRole('button', { name: 'Use ana@gpu1.lab.example.org' }));
    expect(api.inputsOf('engines.choose')).toEqual([{ id: gpu1.id }]);
    // While the server is checked, this computer's checks are gone (they would describe the wrong machine).
    await waitFor(() => expect(screen.queryByRole('checkbox', { name: /CPU mode/ })).not.toBeInTheDocument());
    expect(screen.getByText(/Checking the driver, Docker and GPU access/)).toBeInTheDocument();
    expect(api.inputsOf('environment.check')).toHaveLength(2);
    await act(async () => pending.resolve(reportReady));
    expect(await screen.findByText(/Training will use the GPU: NVIDIA H100/)).toBeInTheDocument();
    expect(screen.getByText(/These checks describe the server ana@gpu1\.lab\.example\.org/)).toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: 'ana@gpu1.lab.example.org' })).toHaveTextContent('In use');
    expect(api.count('image.status')).toBe(2); // the server has its own images
  });

  test('removing a server asks first; a refusal (a run is live there) shows its message and fix', async () => {
    const user = userEvent.setup();
    const { api } = setup([local, gpu1]);
    api.answer({
      'engines.remove': () =>
        failWith(
          'busy',
          'A run is training on ana@gpu1.lab.example.org.',
          'Stop the run “flowers” first, or wait for it to end.',
        ),
    });
    await user.click(await screen.findByRole('button', { name: 'Remove ana@gpu1.lab.example.org' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove the server ana@gpu1.lab.example.org?' });
    await user.click(within(dialog).getByRole('button', { name: 'Remove server' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('A run is training on ana@gpu1.lab.example.org.');
    expect(alert).toHaveTextContent('Stop the run “flowers” first');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: 'ana@gpu1.lab.example.org' })).toBeInTheDocument();
  });

  test('a removed server leaves the list', async () => {
    const user = userEvent.setup();
    const { api } = setup([local, gpu1]);
    await user.click(await screen.findByRole('button', { name: 'Remove ana@gpu1.lab.example.org' }));
    await user.click(screen.getByRole('button', { name: 'Remove server' }));
    await waitFor(() =>
      expect(screen.queryByRole('listitem', { name: 'ana@gpu1.lab.example.org' })).not.toBeInTheDocument(),
    );
    expect(api.inputsOf('engines.remove')).toEqual([{ id: gpu1.id }]);
    expect(screen.getByText(/ana@gpu1\.lab\.example\.org was removed/)).toBeInTheDocument();
  });
});

describe('Add a GPU server', () => {
  test('a new host key: the prompt shows host, key type and fingerprint; trusting adds it with that fingerprint', async () => {
    const user = userEvent.setup();
    const { api } = setup([local]);
    const form = await openAddForm(user);
    await fillServer(user, form, '2222');
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    const prompt = await screen.findByRole('alertdialog', {
      name: 'First connection to gpu1.lab.example.org: check its fingerprint',
    });
    expect(api.inputsOf('engines.checkHost')).toEqual([{ host: 'gpu1.lab.example.org', port: 2222 }]);
    expect(api.count('engines.add')).toBe(0); // never accepted without the user's word
    expect(prompt).toHaveTextContent('ana@gpu1.lab.example.org:2222');
    expect(prompt).toHaveTextContent('ED25519 (ssh-ed25519)');
    expect(prompt).toHaveTextContent(FINGERPRINT);
    expect(prompt).toHaveTextContent('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub');
    expect(prompt).toHaveTextContent('[gpu1.lab.example.org]:2222');
    // Focus moves into the prompt, on the safe choice.
    expect(within(prompt).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(prompt).getByRole('button', { name: 'Trust and connect' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(api.inputsOf('engines.add')).toEqual([
      {
        target: { user: 'ana', host: 'gpu1.lab.example.org', port: 2222 },
        acceptFingerprint: FINGERPRINT,
        choose: true,
      },
    ]);
    expect(await screen.findByText(/Added ana@gpu1\.lab\.example\.org:2222/)).toBeInTheDocument();
    const added = await screen.findByRole('listitem', { name: 'ana@gpu1.lab.example.org:2222' });
    expect(added).toHaveTextContent('In use');
    expect(screen.queryByRole('form', { name: 'Add a GPU server' })).not.toBeInTheDocument();
  });

  test('the keyboard alone: Enter submits the form, Escape closes the prompt without adding', async () => {
    const user = userEvent.setup();
    const { api } = setup([local]);
    const form = await openAddForm(user);
    await fillServer(user, form);
    await user.keyboard('{Enter}');
    const prompt = await screen.findByRole('alertdialog');
    expect(prompt).toHaveTextContent(FINGERPRINT);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(api.count('engines.add')).toBe(0);
    // The form is still there with what was typed, to try again.
    expect(within(form).getByRole('textbox', { name: 'User name' })).toHaveValue('ana');
  });

  test('a changed host key: a warning with what to do, and no way to accept it', async () => {
    const user = userEvent.setup();
    const { api } = setup([local]);
    api.answer({ 'engines.checkHost': () => check('changed') });
    const form = await openAddForm(user);
    await fillServer(user, form);
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    const alert = await within(form).findByRole('alert');
    expect(alert).toHaveTextContent('gpu1.lab.example.org shows a different host key than the one remembered');
    expect(alert).toHaveTextContent(FINGERPRINT);
    expect(alert).toHaveTextContent('ssh-keygen -R gpu1.lab.example.org');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Trust/ })).not.toBeInTheDocument();
    expect(api.count('engines.add')).toBe(0);
  });

  test('a remembered host key connects at once with it', async () => {
    const user = userEvent.setup();
    const { api } = setup([local]);
    api.answer({ 'engines.checkHost': () => check('known') });
    const form = await openAddForm(user);
    await fillServer(user, form);
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText(/Added ana@gpu1\.lab\.example\.org\./)).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(api.inputsOf('engines.add')[0]?.acceptFingerprint).toBe(FINGERPRINT);
  });

  test.each([
    ['ssh_refused', 'The server refused the key.', 'Add your public key to ~/.ssh/authorized_keys on the server.'],
    ['ssh_host_key', 'gpu1 showed another host key than the one you accepted.', 'Compare the fingerprint again.'],
    ['docker_unreachable', 'Docker does not answer on gpu1.', 'Install Docker there, or add ana to the docker group.'],
  ] as const)('an error while connecting (%s) shows its message and fix in the prompt', async (kind, message, fix) => {
    const user = userEvent.setup();
    const { api } = setup([local]);
    api.answer({ 'engines.add': () => failWith(kind, message, fix) });
    const form = await openAddForm(user);
    await fillServer(user, form);
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    const prompt = await screen.findByRole('alertdialog');
    await user.click(within(prompt).getByRole('button', { name: 'Trust and connect' }));
    const alert = await within(prompt).findByRole('alert');
    expect(alert).toHaveTextContent(message);
    expect(alert).toHaveTextContent(fix);
    expect(screen.getByRole('list', { name: 'Docker engines' })).not.toHaveTextContent('gpu1');
  });

  test('an unreachable host: the error shows under the form, no prompt', async () => {
    const user = userEvent.setup();
    const { api } = setup([local]);
    api.answer({
      'engines.checkHost': () =>
        failWith(
          'ssh_unreachable',
          'No SSH server answered at gpu1.lab.example.org, port 22.',
          'Check the name and port; from outside the lab, connect to its VPN first.',
        ),
    });
    const form = await openAddForm(user);
    await fillServer(user, form);
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    const alert = await within(form).findByRole('alert');
    expect(alert).toHaveTextContent('No SSH server answered at gpu1.lab.example.org, port 22.');
    expect(alert).toHaveTextContent('connect to its VPN first');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(within(form).getByRole('button', { name: 'Connect' })).not.toHaveAttribute('aria-disabled');
  });

  test('while logging in it says what it does', async () => {
    const user = userEvent.setup();
    const { api } = setup([local]);
    const pending = deferred<{ engine: EngineEntry }>();
    api.answer({ 'engines.add': () => pending.promise });
    const form = await openAddForm(user);
    await fillServer(user, form);
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    const prompt = await screen.findByRole('alertdialog');
    await user.click(within(prompt).getByRole('button', { name: 'Trust and connect' }));
    const said = await within(prompt).findByText(
      'Logging in to gpu1.lab.example.org as ana, then asking Docker there for its version…',
    );
    expect(said).toHaveAttribute('role', 'status');
    expect(within(prompt).getByRole('button', { name: 'Connecting…' })).toBeDisabled();
    await act(async () => pending.resolve({ engine: gpu1 }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
  });

  test('fields say what is wrong, in the contract’s words, before anything is sent', async () => {
    const user = userEvent.setup();
    const { api } = setup([local]);
    const form = await openAddForm(user);
    await user.type(within(form).getByRole('textbox', { name: 'User name' }), 'ana smith');
    const port = within(form).getByRole('textbox', { name: 'SSH port' });
    await user.clear(port);
    await user.type(port, '70000');
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    expect(within(form).getByRole('textbox', { name: 'User name' })).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByRole('textbox', { name: 'User name' })).toHaveAccessibleDescription(
      /Write the user name you log in with on the server/,
    );
    expect(within(form).getByRole('textbox', { name: 'Server' })).toHaveAccessibleDescription(
      /Write the server’s name or address\./,
    );
    expect(port).toHaveAccessibleDescription(/Write a port number from 1 to 65535/);
    expect(api.count('engines.checkHost')).toBe(0);
  });
});

describe('the key file', () => {
  test('in the desktop app, Browse… picks it with the file dialog and add sends its path', async () => {
    const user = userEvent.setup();
    const { api } = setup([local]);
    api.answer({ 'dialog.pickFile': () => ({ path: '/home/ana/.ssh/lab_ed25519' }) });
    window.deitStudio = { call: api.call.bind(api), on: api.on.bind(api), pathForFile: () => '' };
    const form = await openAddForm(user);
    await fillServer(user, form);
    await user.click(within(form).getByRole('button', { name: 'Browse…' }));
    const key = within(form).getByRole('textbox', { name: 'Private key file (optional)' });
    await waitFor(() => expect(key).toHaveValue('/home/ana/.ssh/lab_ed25519'));
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    await user.click(await screen.findByRole('button', { name: 'Trust and connect' }));
    await waitFor(() => expect(api.count('engines.add')).toBe(1));
    expect(api.inputsOf('engines.add')[0]?.target.keyPath).toBe('/home/ana/.ssh/lab_ed25519');
  });

  test('in serve mode there is no Browse…: the path is typed (a path on the machine running DeiT Studio)', async () => {
    const user = userEvent.setup();
    setup([local]);
    const form = await openAddForm(user);
    expect(within(form).queryByRole('button', { name: 'Browse…' })).not.toBeInTheDocument();
    expect(within(form).getByRole('textbox', { name: 'Private key file (optional)' })).toHaveAttribute(
      'placeholder',
      'full path of the key file on the computer running DeiT Studio',
    );
  });
});

describe('checkServerDraft', () => {
  test('an empty port is 22, an empty key file is left out, spaces are trimmed', () => {
    const checked = checkServerDraft({ user: ' ana ', host: 'gpu1 ', port: '', keyPath: '  ' });
    expect(checked).toEqual({ ok: true, target: { user: 'ana', host: 'gpu1', port: 22 } satisfies SshTarget });
  });

  test('a key file is kept; a port that is not a number is refused', () => {
    expect(checkServerDraft({ user: 'ana', host: '10.0.0.5', port: '22', keyPath: '/home/ana/.ssh/lab' })).toEqual({
      ok: true,
      target: { user: 'ana', host: '10.0.0.5', port: 22, keyPath: '/home/ana/.ssh/lab' },
    });
    const bad = checkServerDraft({ user: 'ana', host: 'gpu1', port: '22a', keyPath: '' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.port).toMatch(/port number/);
  });
});

describe('the checks’ verdict on a server', () => {
  test('a skipped local driver on a GPU server does not say “This computer has no NVIDIA GPU”', () => {
    const skippedDriver = reportNoGpu.checks.map((c) =>
      c.id === 'driver'
        ? { ...c, status: 'skipped' as const, message: 'The server’s driver is checked through Docker.' }
        : c,
    );
    // Built without the schema: the report's `engine` is optional in the contract (a cast keeps this test
    // independent of it).
    const onServer = {
      ...reportNoGpu,
      checks: skippedDriver,
      engine: { id: gpu1.id, kind: 'ssh', label: gpu1.label },
    } as EnvironmentReport;
    expect(checklistVerdict(onServer)).toBe(
      'The GPUs of ana@gpu1.lab.example.org cannot be used from Docker yet (see “GPU access from containers”). You can train on the processor instead (CPU mode, below): slow, but it works.',
    );
    expect(checklistVerdict({ ...reportNoGpu, checks: skippedDriver })).toMatch(/^This computer has no NVIDIA GPU\./);
  });
});
