import { AppError, type HostKey, type SshTarget } from '../../contract';

/**
 * Plain-language errors of a remote engine, each with the fix: the SSH side (host key, login, network)
 * and the Docker side on the server (not installed, not answering, not allowed).
 *
 *   throw unknownHostKey(target, hostKey);
 *   throw classifySshError(error, target, { tried: ['ssh-agent', '~/.ssh/id_ed25519'] });
 *   throw classifyDialFailure(target, 127, 'bash: docker: command not found');
 */

/** `user@host` and `:port` when not 22, as the user wrote it. */
export function targetLabel(target: Pick<SshTarget, 'user' | 'host' | 'port'>): string {
  return `${target.user}@${target.host}${target.port === 22 ? '' : `:${target.port}`}`;
}

/** The host as `ssh-keygen -R` names it. */
function keygenName(host: string, port: number): string {
  return port === 22 ? host : `'[${host}]:${port}'`;
}

export function unknownHostKey(target: Pick<SshTarget, 'host' | 'port'>, key: HostKey): AppError {
  return new AppError(
    'ssh_host_key',
    `${target.host} is new to this computer. Its host key fingerprint is ${key.fingerprint} (${key.algorithm}).`,
    {
      fix: `Compare it with the fingerprint the server's admin gives you (on the server: ssh-keygen -lf /etc/ssh/ssh_host_${key.algorithm.replace(/^ssh-|-.*$/g, '')}_key.pub), then accept it. Never accept a fingerprint you could not check.`,
    },
  );
}

export function changedHostKey(target: Pick<SshTarget, 'host' | 'port'>, key: HostKey): AppError {
  return new AppError(
    'ssh_host_key',
    `The host key of ${target.host} has CHANGED since it was remembered: it now shows ${key.fingerprint} (${key.algorithm}). Someone may be intercepting the connection, or the server was reinstalled. DeiT Studio did not log in.`,
    {
      fix: `Check with the server's admin first. Only if they confirm the new key: remove the old one with \`ssh-keygen -R ${keygenName(target.host, target.port)}\`, remove the server from DeiT Studio's list, and add it again.`,
    },
  );
}

/** The server showed a key other than the fingerprint the user accepted (in the prompt, or when it was added). */
export function otherHostKey(target: Pick<SshTarget, 'host' | 'port'>, expected: string, key: HostKey): AppError {
  return new AppError(
    'ssh_host_key',
    `${target.host} showed the host key ${key.fingerprint} (${key.algorithm}), not the one accepted (${expected}). DeiT Studio did not log in.`,
    {
      fix: `If the server was reinstalled, check the new fingerprint with its admin, then remove the server from the list and add it again. Otherwise someone may be intercepting the connection: do not go on.`,
    },
  );
}

/** The keys were refused (or there were none to try). `tried` names each: 'ssh-agent (2 keys)', '~/.ssh/id_ed25519'. */
export function keyRefused(target: SshTarget, tried: string[], detail?: string): AppError {
  const who = targetLabel(target);
  const copy = `ssh-copy-id ${target.port === 22 ? '' : `-p ${target.port} `}${target.user}@${target.host}`;
  if (tried.length === 0) {
    return new AppError(
      'ssh_refused',
      `DeiT Studio found no SSH key to log in to ${who} with: no ssh-agent is running and ~/.ssh has no id_ed25519, id_ecdsa or id_rsa.`,
      {
        fix: `Make a key with \`ssh-keygen -t ed25519\`, copy it to the server with \`${copy}\`, then try again.`,
        detail,
      },
    );
  }
  return new AppError('ssh_refused', `${who} refused the keys DeiT Studio tried: ${tried.join(', ')}.`, {
    fix: `Add your public key to the server's authorized keys with \`${copy}\` (or send the .pub file to its admin), or choose the key file the server knows. Check the user name too.`,
    detail,
  });
}

/** The key file the user chose cannot be used. */
export function keyFileProblem(file: string, problem: string): AppError {
  return new AppError('ssh_refused', `The key file ${file} ${problem}.`, {
    fix: 'Choose the private key file (e.g. ~/.ssh/id_ed25519, not the .pub file beside it), or leave the key empty to use ssh-agent and the default keys.',
  });
}

/** Only passphrase-protected keys, and no ssh-agent to unlock them. */
export function encryptedKeys(target: SshTarget, files: string[]): AppError {
  return new AppError(
    'ssh_refused',
    `The SSH key ${files.join(', ')} is protected by a passphrase, and DeiT Studio does not ask for passphrases.`,
    {
      fix: `Add the key to ssh-agent (\`ssh-add ${files[0] ?? '~/.ssh/id_ed25519'}\`, with the agent running for this session), then try ${targetLabel(target)} again.`,
    },
  );
}

/** Network failures: DNS, a refused port, no route, no answer in time. */
export function unreachable(target: SshTarget, code: string, detail?: string): AppError {
  const at = `${target.host}:${target.port}`;
  const [message, fix] =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME'
      ? [
          `The name ${target.host} is not known to this computer's name service (DNS).`,
          'Check the spelling; if the server is on a lab or company network, connect to it (VPN) first.',
        ]
      : code === 'ECONNREFUSED'
        ? [
            `Nothing accepts SSH connections at ${at}: the connection was refused.`,
            `Check the port (ssh uses 22 unless the admin said otherwise) and that the SSH server runs on ${target.host}.`,
          ]
        : code === 'TIMEOUT' || code === 'ETIMEDOUT'
          ? [
              `${at} did not answer in time.`,
              'Check that the server is on, and that this computer can reach it (VPN, firewall).',
            ]
          : [
              `${at} cannot be reached (${code}).`,
              'Check the network connection to the server (VPN, firewall) and try again.',
            ];
  return new AppError('ssh_unreachable', message, { fix, detail });
}

/** Maps an ssh2 connection error; host-key refusals are raised by the verifier before this. */
export function classifySshError(error: unknown, target: SshTarget, tried: string[]): AppError {
  if (error instanceof AppError) return error;
  const e = error as { level?: string; code?: string; message?: string };
  const detail = e.message ?? String(error);
  if (e.level === 'client-authentication') return keyRefused(target, tried, detail);
  if (e.level === 'client-timeout') return unreachable(target, 'TIMEOUT', detail);
  if (e.level === 'client-dns') return unreachable(target, e.code ?? 'ENOTFOUND', detail);
  if (typeof e.code === 'string') return unreachable(target, e.code, detail);
  return new AppError('ssh_unreachable', `The SSH connection to ${targetLabel(target)} failed.`, {
    fix: 'Try again; if it keeps failing, check that `ssh` from a terminal reaches the server.',
    detail,
  });
}

/**
 * `docker system dial-stdio` on the server ended before Docker answered: exit 127 is a shell's
 * "command not found"; the rest is told apart by what the Docker CLI wrote on stderr.
 */
export function classifyDialFailure(target: SshTarget, exitCode: number | null, stderr: string): AppError {
  const who = targetLabel(target);
  const detail = stderr.trim() || `docker system dial-stdio ended with exit code ${exitCode ?? 'unknown'}`;
  if (exitCode === 127 || /command not found|docker: not found|No such file or directory.*docker/i.test(stderr)) {
    return new AppError(
      'docker_unreachable',
      `The server ${target.host} has no \`docker\` command: Docker is not installed there (or not on the PATH of SSH logins).`,
      {
        fix: 'Install Docker Engine on the server (docs.docker.com/engine/install), and the NVIDIA Container Toolkit for its GPUs; then check again.',
        detail,
      },
    );
  }
  if (/permission denied/i.test(stderr)) {
    return new AppError(
      'docker_permission',
      `${target.user} may not use Docker on ${target.host} (permission denied).`,
      {
        fix: `Ask the server's admin to add you to the docker group: \`sudo usermod -aG docker ${target.user}\` on the server; then check again.`,
        detail,
      },
    );
  }
  return new AppError(
    'docker_unreachable',
    `Docker is installed on ${target.host} but its engine does not answer (${who}).`,
    {
      fix: 'Start Docker on the server (`sudo systemctl start docker`) or ask its admin to; then check again.',
      detail,
    },
  );
}
