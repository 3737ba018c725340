import { SshTarget, type HostKey } from '@contract';

/**
 * The "Add a GPU server" form as typed, and its check against the contract's own `SshTarget` schema
 * (the same rules the core applies), so the renderer has no rules of its own. Usage:
 *
 *   const checked = checkServerDraft(draft);
 *   if (!checked.ok) showErrors(checked.errors); else api().call('engines.checkHost', checked.target);
 */
export interface ServerDraft {
  user: string;
  host: string;
  /** Text as typed; empty means 22. */
  port: string;
  /** A private key file on the computer running DeiT Studio; empty: ssh-agent and the usual keys. */
  keyPath: string;
}

export type ServerField = keyof ServerDraft;

export const EMPTY_SERVER_DRAFT: ServerDraft = { user: '', host: '', port: '22', keyPath: '' };

// Zod's own number messages ("Too small: expected number to be >=1") are not the user's words.
const PORT_MESSAGE = 'Write a port number from 1 to 65535 (22 unless the server’s admin said otherwise).';

export type CheckedServer =
  { ok: true; target: SshTarget } | { ok: false; errors: Partial<Record<ServerField, string>> };

/** The draft as the contract's `SshTarget`, or one sentence per field that is not acceptable. */
export function checkServerDraft(draft: ServerDraft): CheckedServer {
  const portText = draft.port.trim();
  const port = portText === '' ? 22 : /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
  const keyPath = draft.keyPath.trim();
  const parsed = SshTarget.safeParse({
    user: draft.user,
    host: draft.host,
    port,
    ...(keyPath ? { keyPath } : {}),
  });
  if (parsed.success) return { ok: true, target: parsed.data };
  const errors: Partial<Record<ServerField, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0]) as ServerField;
    // The first problem of a field is the one to fix first.
    errors[field] ??= field === 'port' ? PORT_MESSAGE : issue.message;
  }
  return { ok: false, errors };
}

/** `user@host`, with `:port` when it is not 22 — how the server is named everywhere in the app. */
export function targetLabel(target: Pick<SshTarget, 'user' | 'host' | 'port'>): string {
  return `${target.user}@${target.host}${target.port === 22 ? '' : `:${target.port}`}`;
}

/** The host as `ssh-keygen -R` and known_hosts name it: `gpu1`, or `[gpu1]:2222` on another port. */
export function knownHostsName(target: Pick<SshTarget, 'host' | 'port'>): string {
  return target.port === 22 ? target.host : `[${target.host}]:${target.port}`;
}

/** A readable key type ("ED25519") and the server file whose fingerprint the user compares with. */
export function hostKeyKind(algorithm: HostKey['algorithm']): { name: string; file: string } {
  if (algorithm === 'ssh-ed25519') return { name: 'ED25519', file: '/etc/ssh/ssh_host_ed25519_key.pub' };
  if (algorithm.startsWith('ecdsa-')) return { name: 'ECDSA', file: '/etc/ssh/ssh_host_ecdsa_key.pub' };
  if (algorithm === 'ssh-rsa' || algorithm.startsWith('rsa-')) {
    return { name: 'RSA', file: '/etc/ssh/ssh_host_rsa_key.pub' };
  }
  return { name: algorithm, file: '/etc/ssh/ssh_host_*_key.pub' };
}
