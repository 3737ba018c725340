import fs from 'node:fs/promises';
import os from 'node:os';
import { utils, type AnyAuthMethod } from 'ssh2';
import type { SshTarget } from '../../contract';
import { encryptedKeys, keyFileProblem } from './engine-errors';
import { defaultKeyFiles, readSshConfig, resolveSshHost } from './ssh-config';

/**
 * Where and how to log in, as `ssh user@host` would: ~/.ssh/config's HostName/Port/IdentityFile for the
 * host, then the keys in ssh's order — the key file the user chose, ssh-agent (SSH_AUTH_SOCK), the
 * config's IdentityFiles, ~/.ssh/id_ed25519, id_ecdsa, id_rsa. Passphrase-protected files are skipped
 * (no passphrase prompt in this version); with nothing else to try, that is the error.
 *
 *   const login = await sshLogin(target);
 *   client.connect({ host: login.host, port: login.port, username: target.user, authHandler: login.auth });
 */

export interface SshLogin {
  /** The address to connect to (the config's HostName, else the host as written). */
  host: string;
  port: number;
  /** ssh2 auth methods, tried in order. */
  auth: AnyAuthMethod[];
  /** For the "refused" message: what was tried, e.g. 'ssh-agent', '~/.ssh/id_ed25519'. */
  tried: string[];
}

export interface SshLoginOptions {
  homedir?: string;
  env?: NodeJS.ProcessEnv;
}

function shortPath(file: string, homedir: string): string {
  return file.startsWith(`${homedir}/`) ? `~${file.slice(homedir.length)}` : file;
}

/** Where `ssh host -p port` would connect: ~/.ssh/config's HostName and Port applied. */
export async function sshAddress(
  host: string,
  port: number,
  homedir = os.homedir(),
): Promise<{ host: string; port: number; identityFiles: string[] }> {
  const config = resolveSshHost(await readSshConfig(homedir), host, homedir);
  return {
    host: config.hostName ?? host,
    // The form's port defaults to 22: a Port in ~/.ssh/config then wins, as it would for `ssh host`.
    port: port === 22 && config.port ? config.port : port,
    identityFiles: config.identityFiles,
  };
}

export async function sshLogin(target: SshTarget, options: SshLoginOptions = {}): Promise<SshLogin> {
  const homedir = options.homedir ?? os.homedir();
  const env = options.env ?? process.env;
  const config = await sshAddress(target.host, target.port, homedir);
  const { host, port } = config;

  const auth: AnyAuthMethod[] = [];
  const tried: string[] = [];
  const encrypted: string[] = [];
  const addKey = async (file: string, explicit: boolean) => {
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch (error) {
      // The key the user chose must be there; ssh's default files may well not be.
      if (explicit) throw keyFileProblem(file, `cannot be read (${(error as NodeJS.ErrnoException).code})`);
      return;
    }
    const parsed = utils.parseKey(data);
    if (parsed instanceof Error) {
      if (/encrypted|passphrase/i.test(parsed.message)) encrypted.push(shortPath(file, homedir));
      else if (explicit) throw keyFileProblem(file, 'is not a private key SSH can use');
      return;
    }
    if (!parsed.isPrivateKey()) {
      if (explicit) throw keyFileProblem(file, 'is a public key');
      return;
    }
    auth.push({ type: 'publickey' as const, username: target.user, key: data });
    tried.push(shortPath(file, homedir));
  };

  const files = target.keyPath ? [target.keyPath] : [];
  for (const file of files) await addKey(file, true);
  if (env.SSH_AUTH_SOCK) {
    auth.push({ type: 'agent' as const, username: target.user, agent: env.SSH_AUTH_SOCK });
    tried.push('ssh-agent');
  }
  if (!target.keyPath) {
    const seen = new Set<string>();
    for (const file of [...config.identityFiles, ...defaultKeyFiles(homedir)]) {
      if (seen.has(file)) continue;
      seen.add(file);
      await addKey(file, false);
    }
  }
  if (auth.length === 0 && encrypted.length > 0) throw encryptedKeys(target, encrypted);
  return { host, port, auth, tried };
}
