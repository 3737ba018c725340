import type { AppErrorShape, HostKey, SshTarget } from '@contract';
import { CopyButton } from '../../../components/CopyButton';
import { FactList } from '../../../components/FactList';
import { ConfirmDialog } from '../../../runs/ConfirmDialog';
import { hostKeyKind, knownHostsName, targetLabel } from './server-form';

/**
 * The first connection to a server: its host key's fingerprint, and how to compare it with the one the
 * server itself prints, before the user trusts it. Never accepted without this question. A modal
 * dialog (focus starts on Cancel, Escape cancels); it stays open while connecting so its errors show here.
 */
export function HostKeyPrompt({
  target,
  hostKey,
  busy,
  progress,
  error,
  onTrust,
  onCancel,
}: {
  target: SshTarget;
  hostKey: HostKey;
  busy: boolean;
  /** What the connection is doing now (a sentence), while busy. */
  progress: string | null;
  error: AppErrorShape | null;
  onTrust: () => void;
  onCancel: () => void;
}) {
  const kind = hostKeyKind(hostKey.algorithm);
  return (
    <ConfirmDialog
      title={`First connection to ${target.host}: check its fingerprint`}
      confirmLabel="Trust and connect"
      busyLabel="Connecting…"
      busy={busy}
      error={error}
      onConfirm={onTrust}
      onCancel={onCancel}
    >
      <p>
        DeiT Studio has not connected to <strong>{knownHostsName(target)}</strong> before. The server identifies itself
        with this key:
      </p>
      <FactList
        className="facts engine-host-key"
        label="The server’s host key"
        facts={[
          { label: 'Server', value: targetLabel(target) },
          { label: 'Key type', value: `${kind.name} (${hostKey.algorithm})` },
          {
            label: 'Fingerprint',
            value: (
              <>
                <code className="engine-fingerprint">{hostKey.fingerprint}</code>{' '}
                <CopyButton text={hostKey.fingerprint} name="Copy the fingerprint" />
              </>
            ),
          },
        ]}
      />
      <p>
        Before you trust it, compare it with the fingerprint the server itself prints. On the server, run{' '}
        <code>ssh-keygen -lf {kind.file}</code> and check that the <code>SHA256:…</code> part is the same — or ask the
        server’s admin for it. If it is the same, trust it: DeiT Studio remembers it and checks it on every connection.
        If it differs, press Cancel: something between you and the server may be pretending to be it.
      </p>
      {busy && progress && (
        <p role="status" className="engine-progress">
          {progress}
        </p>
      )}
    </ConfirmDialog>
  );
}

/**
 * The server shows a different key than the one remembered for it: a warning, and no way to accept it
 * here (the user has to find out why first).
 */
export function HostKeyChanged({ target, hostKey }: { target: SshTarget; hostKey: HostKey }) {
  const name = knownHostsName(target);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">
        {target.host} shows a different host key than the one remembered for it. DeiT Studio did not connect.
      </p>
      <p>
        It now shows the {hostKeyKind(hostKey.algorithm).name} key <code>{hostKey.fingerprint}</code>. This happens when
        the server was reinstalled or its keys were renewed — and also when something between you and the server
        pretends to be it.
      </p>
      <p>
        Ask the server’s admin whether its host key changed. Only if it did: remove the old key with{' '}
        <code>ssh-keygen -R {target.port === 22 ? name : `'${name}'`}</code> on this computer (and remove the server
        from the list above if it is there), then add it again and compare the new fingerprint.
      </p>
    </div>
  );
}
