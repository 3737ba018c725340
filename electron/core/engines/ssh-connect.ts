import { Client, type ServerHostKeyAlgorithm } from 'ssh2';
import { AppError, type SshTarget } from '../../contract';
import { classifySshError, otherHostKey } from './engine-errors';
import { hostKeyOf } from './known-hosts';
import type { SshLogin } from './ssh-auth';

/**
 * One SSH connection with the host key pinned: `connectClient` logs in only if the server shows the
 * fingerprint the user accepted; `readHostKey` reads the server's key without logging in (for the prompt).
 * Every ssh2 error ends as a typed AppError (engine-errors.ts); an error listener stays on the client for
 * its whole life, so a late error never becomes an uncaught exception.
 *
 *   const client = await connectClient({ target, login, fingerprint: 'SHA256:…' });
 *   const key = await readHostKey('gpu1.lab', 22, ['ssh-ed25519']);
 */

const DEFAULT_HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** The host key algorithms to offer, those of already known key types first (as OpenSSH orders them). */
export function hostKeyAlgorithms(keyTypes: string[]): ServerHostKeyAlgorithm[] {
  const first = keyTypes.flatMap((type): ServerHostKeyAlgorithm[] =>
    type === 'ssh-rsa'
      ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']
      : DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => a === type),
  );
  return [...new Set([...first, ...DEFAULT_HOST_KEY_ALGORITHMS])];
}

export interface ConnectOptions {
  target: SshTarget;
  login: SshLogin;
  /** The accepted host key fingerprint; any other key ends the connection before login. */
  fingerprint: string;
  /** Its key type (e.g. ssh-ed25519), offered first so the server shows that key. */
  keyType?: string;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
}

/** Logs in; resolves with the ready client, or rejects with a typed AppError. */
export function connectClient(options: ConnectOptions): Promise<Client> {
  const { target, login } = options;
  const client = new Client();
  let hostKeyError: AppError | null = null;
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      // ssh-agent trouble (a stale SSH_AUTH_SOCK, a key it cannot sign with) is reported by ssh2 as an
      // error, yet login goes on with the next key: not a failure of the connection.
      // Likewise a key that fails to sign ("Error signing data with key"): the next key is tried.
      const e = error as { level?: string; message?: string } | null;
      if (e?.level === 'agent' || /^Error (while )?signing/.test(e?.message ?? '')) return;
      if (settled) return;
      settled = true;
      client.end();
      reject(hostKeyError ?? classifySshError(error, target, login.tried));
    };
    client.on('error', fail); // stays: errors after 'ready' are handled by the pool's close listener
    client.once('close', () => fail(new AppError('ssh_unreachable', `The SSH connection to ${target.host} closed.`)));
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    try {
      client.connect({
        host: login.host,
        port: login.port,
        username: target.user,
        authHandler: login.auth,
        readyTimeout: options.readyTimeoutMs ?? 15_000,
        keepaliveInterval: options.keepaliveIntervalMs ?? 10_000,
        keepaliveCountMax: 3,
        algorithms: { serverHostKey: hostKeyAlgorithms(options.keyType ? [options.keyType] : []) },
        hostVerifier: (key: Buffer) => {
          const shown = hostKeyOf(key);
          if (shown.fingerprint === options.fingerprint) return true;
          hostKeyError = otherHostKey(target, options.fingerprint, shown);
          return false;
        },
      });
    } catch (error) {
      fail(error);
    }
  });
}

/** Connects only far enough to see the server's host key; never logs in. */
export function readHostKey(
  target: SshTarget,
  login: Pick<SshLogin, 'host' | 'port'>,
  keyTypes: string[],
  timeoutMs = 15_000,
): Promise<Buffer> {
  const client = new Client();
  return new Promise<Buffer>((resolve, reject) => {
    let key: Buffer | null = null;
    let settled = false;
    const done = (error?: unknown) => {
      if (settled) return;
      settled = true;
      client.end();
      if (key) resolve(key);
      else reject(classifySshError(error, target, []));
    };
    client.on('error', done);
    client.on('close', () => done(new Error('The server closed the connection before showing its host key.')));
    client.on('ready', () => done()); // cannot happen: the verifier refuses every key
    try {
      client.connect({
        host: login.host,
        port: login.port,
        username: target.user,
        readyTimeout: timeoutMs,
        algorithms: { serverHostKey: hostKeyAlgorithms(keyTypes) },
        hostVerifier: (shown: Buffer) => {
          key = shown;
          setImmediate(() => done());
          return false;
        },
      });
    } catch (error) {
      done(error);
    }
  });
}
