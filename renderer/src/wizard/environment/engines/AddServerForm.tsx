import { useState, type FormEvent } from 'react';
import type { EngineEntry, HostKeyCheck, SshTarget } from '@contract';
import { api, isDesktop } from '../../../api/api';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { describedBy, FieldNotes } from '../../settings/FormFields';
import { useAsyncAction } from '../../../components/use-async-action';
import { HostKeyChanged, HostKeyPrompt } from './HostKeyPrompt';
import { EMPTY_SERVER_DRAFT, checkServerDraft, type ServerDraft, type ServerField } from './server-form';

/** Where adding a server stands: typing, reading its host key, asking the user, or logging in. */
type Step =
  | { step: 'form' }
  | { step: 'prompt'; target: SshTarget; check: HostKeyCheck }
  | { step: 'changed'; target: SshTarget; check: HostKeyCheck }
  | { step: 'adding'; target: SshTarget };

const FIELDS: Array<{ key: ServerField; label: string; placeholder: string; hint: string }> = [
  { key: 'user', label: 'User name', placeholder: 'ana', hint: 'The name you log in with on the server.' },
  {
    key: 'host',
    label: 'Server',
    placeholder: 'gpu1.lab.example.org',
    hint: 'Its name or address, as in ssh user@server.',
  },
  { key: 'port', label: 'SSH port', placeholder: '22', hint: '22 unless the server’s admin said otherwise.' },
];

/** What the connection does, in the user's words (the core answers once, at the end). */
function connecting(target: SshTarget): string {
  return `Logging in to ${target.host} as ${target.user}, then asking Docker there for its version…`;
}

/**
 * "Add a GPU server": user, server, port and an optional key file, checked with the contract's schema;
 * then the server's host key (engines.checkHost): a new key is shown for the user to compare and trust,
 * a changed key is refused with a warning, a remembered one connects at once (engines.add).
 */
export function AddServerForm({ onAdded, onClose }: { onAdded: (engine: EngineEntry) => void; onClose: () => void }) {
  const [draft, setDraft] = useState<ServerDraft>(EMPTY_SERVER_DRAFT);
  const [invalid, setInvalid] = useState<Partial<Record<ServerField, string>>>({});
  const [state, setState] = useState<Step>({ step: 'form' });
  const checking = useAsyncAction();
  const adding = useAsyncAction();
  const picking = useAsyncAction();
  const busy = checking.busy || adding.busy;

  function edit(key: ServerField, value: string) {
    setDraft({ ...draft, [key]: value });
    if (state.step === 'changed') setState({ step: 'form' });
  }

  async function add(target: SshTarget, fingerprint: string) {
    setState({ step: 'adding', target });
    const added = await adding.run(() =>
      api().call('engines.add', { target, acceptFingerprint: fingerprint, choose: true }),
    );
    if (added) onAdded(added.engine);
    else setState({ step: 'form' });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    checking.clearError();
    adding.clearError();
    const checked = checkServerDraft(draft);
    if (!checked.ok) return setInvalid(checked.errors);
    setInvalid({});
    const { target } = checked;
    const check = await checking.run(() => api().call('engines.checkHost', { host: target.host, port: target.port }));
    if (!check) return setState({ step: 'form' });
    if (check.status === 'unknown') return setState({ step: 'prompt', target, check });
    if (check.status === 'changed') return setState({ step: 'changed', target, check });
    await add(target, check.hostKey.fingerprint); // known: the user trusted this key before
  }

  async function trust() {
    if (state.step !== 'prompt') return;
    const added = await adding.run(() =>
      api().call('engines.add', {
        target: state.target,
        acceptFingerprint: state.check.hostKey.fingerprint,
        choose: true,
      }),
    );
    if (added) onAdded(added.engine);
  }

  function cancelPrompt() {
    adding.clearError();
    setState({ step: 'form' });
  }

  async function browse() {
    const picked = await picking.run(() =>
      api().call('dialog.pickFile', { title: 'Choose your private SSH key (for example ~/.ssh/id_ed25519)' }),
    );
    if (picked?.path) setDraft((current) => ({ ...current, keyPath: picked.path ?? '' }));
  }

  function field(key: ServerField, label: string, placeholder: string, hint: string) {
    const error = invalid[key];
    const id = `server-${key}`;
    return (
      <div className={error ? 'field field-invalid' : 'field'} key={key}>
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          type="text"
          inputMode={key === 'port' ? 'numeric' : undefined}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          value={draft[key]}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error)}
          onChange={(e) => edit(key, e.target.value)}
        />
        <FieldNotes id={id} hint={hint} error={error} />
      </div>
    );
  }

  const keyError = invalid.keyPath;
  return (
    <form
      id="add-server-form"
      className="engine-add-form"
      aria-label="Add a GPU server"
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <p className="field-hint">
        A Linux server with NVIDIA GPUs, Docker and the NVIDIA Container Toolkit, that you can reach with{' '}
        <code>ssh</code>. Nothing else is installed there: DeiT Studio talks to its Docker over SSH. Your SSH agent and
        usual keys are used; no password is asked or stored.
      </p>
      <div className="field-row">{FIELDS.map((f) => field(f.key, f.label, f.placeholder, f.hint))}</div>
      <div className={keyError ? 'field field-invalid' : 'field'}>
        <label htmlFor="server-keyPath">Private key file (optional)</label>
        <div className="path-row engine-key-row">
          <input
            id="server-keyPath"
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={draft.keyPath}
            placeholder={
              isDesktop() ? '/home/me/.ssh/id_ed25519' : 'full path of the key file on the computer running DeiT Studio'
            }
            aria-invalid={keyError ? true : undefined}
            aria-describedby={keyError ? 'server-keyPath-error server-keyPath-hint' : 'server-keyPath-hint'}
            onChange={(e) => edit('keyPath', e.target.value)}
          />
          {isDesktop() && (
            <button type="button" onClick={() => void browse()} disabled={picking.busy}>
              Browse…
            </button>
          )}
        </div>
        {keyError && (
          <p id="server-keyPath-error" className="field-error">
            <span aria-hidden="true">✕ </span>
            {keyError}
          </p>
        )}
        <p id="server-keyPath-hint" className="field-hint">
          Empty: your SSH agent, <code>~/.ssh/config</code> and the usual keys (<code>~/.ssh/id_ed25519</code>,{' '}
          <code>id_ecdsa</code>, <code>id_rsa</code>). Only the file’s path is saved, never the key.
        </p>
      </div>
      {picking.error && <ErrorNotice error={picking.error} />}
      <div className="engine-add-actions">
        {/* aria-disabled, not disabled: a disabled button would drop the keyboard focus to the page. */}
        <button type="submit" className="primary" aria-disabled={busy || undefined} aria-busy={busy || undefined}>
          {checking.busy ? 'Reading its host key…' : state.step === 'adding' ? 'Connecting…' : 'Connect'}
        </button>
        <button type="button" onClick={() => !busy && onClose()} aria-disabled={busy || undefined}>
          Cancel
        </button>
      </div>
      <p role="status" className="engine-progress">
        {checking.busy
          ? 'Asking the server for its host key (no login yet)…'
          : state.step === 'adding' && adding.busy
            ? connecting(state.target)
            : ''}
      </p>
      {checking.error && <ErrorNotice error={checking.error} />}
      {state.step !== 'prompt' && adding.error && <ErrorNotice error={adding.error} />}
      {state.step === 'changed' && <HostKeyChanged target={state.target} hostKey={state.check.hostKey} />}
      {state.step === 'prompt' && (
        <HostKeyPrompt
          target={state.target}
          hostKey={state.check.hostKey}
          busy={adding.busy}
          progress={adding.busy ? connecting(state.target) : null}
          error={adding.error}
          onTrust={() => void trust()}
          onCancel={cancelPrompt}
        />
      )}
    </form>
  );
}
