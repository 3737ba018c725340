import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * A private OpenSSH server for the remote-engine tests: `/usr/sbin/sshd` on a free loopback port, with a
 * host key and a user key made here (ssh-keygen) in a temp folder, logging in as the current user (root
 * in the test environment) with that key only. `docker` on this "server" reaches the test engine
 * (DOCKER_HOST set by SetEnv), so `docker system dial-stdio` over SSH works as on a real GPU server.
 *
 *   const server = await startSshServer();                    // docker: the test engine
 *   const bare = await startSshServer({ docker: 'missing' }); // `docker: command not found`
 *   await server.killSessions();                              // drops every SSH connection
 *   await server.stop();
 */

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';

export interface SshServerOptions {
  /** 'engine': the test engine (DOCKER_HOST); 'missing': no docker command; 'down': docker with no engine behind it. */
  docker?: 'engine' | 'missing' | 'down';
  /** Reuse this port (restart a server in place). */
  port?: number;
  /** Reuse these keys (a restarted server keeps its identity). */
  dir?: string;
  /** OpenSSH's sessions per connection (default 10, as shipped). */
  maxSessions?: number;
}

export interface SshServer {
  port: number;
  user: string;
  /** `ssh-keygen -lf` of the host key's .pub file: SHA256:… */
  hostKeyFingerprint: string;
  hostKeyAlgorithm: string;
  /** The private key the server accepts. */
  userKeyPath: string;
  /** A private key the server does not accept. */
  otherKeyPath: string;
  dir: string;
  /** Ends every SSH session (the children of this sshd), as a dropped connection would. */
  killSessions(): Promise<number>;
  /** Ends the sessions, then the listening sshd (its session processes would outlive it otherwise). */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function keygen(file: string): Promise<void> {
  try {
    await fs.access(file);
  } catch {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'deit-ssh-test', '-f', file]);
  }
}

async function listening(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}):\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sshd did not listen on port ${port}:\n${log()}`);
}

/** Child process ids of a process (sshd's per-connection processes). */
async function childrenOf(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout.split(/\s+/).filter(Boolean).map(Number);
}

export async function startSshServer(options: SshServerOptions = {}): Promise<SshServer> {
  try {
    await fs.access(SSHD);
  } catch {
    throw new Error(
      `${SSHD} is missing: the remote-engine tests need an OpenSSH server. Install it with \`apt-get install -y openssh-server\` (or run \`bash scripts/test-env.sh\` as root).`,
    );
  }
  const dockerHost = process.env.DOCKER_HOST;
  if ((options.docker ?? 'engine') === 'engine' && !dockerHost?.startsWith('unix://')) {
    throw new Error('DOCKER_HOST is not set to the test engine. Run `eval "$(bash scripts/test-env.sh)"` first.');
  }
  const dir = options.dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'deit-ssh-test-')));
  const hostKey = path.join(dir, 'host_key');
  const userKey = path.join(dir, 'user_key');
  const otherKey = path.join(dir, 'other_key');
  await Promise.all([keygen(hostKey), keygen(userKey), keygen(otherKey)]);
  await fs.copyFile(`${userKey}.pub`, path.join(dir, 'authorized_keys'));
  await fs.mkdir('/run/sshd', { recursive: true }); // sshd's privilege-separation folder
  const port = options.port ?? (await freePort());
  const docker = options.docker ?? 'engine';
  const lines = [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'UsePAM no',
    'PidFile none',
    `MaxSessions ${options.maxSessions ?? 10}`,
    'LogLevel ERROR',
    docker === 'engine' ? `SetEnv DOCKER_HOST=${dockerHost}` : `SetEnv DOCKER_HOST=unix://${dir}/no-engine.sock`,
    // No docker on this "server": the command runs with a PATH where nothing is found (exit 127).
    ...(docker === 'missing' ? ['ForceCommand PATH=/nonexistent; export PATH; eval "$SSH_ORIGINAL_COMMAND"'] : []),
  ];
  const config = path.join(dir, `sshd_config_${port}`);
  await fs.writeFile(config, `${lines.join('\n')}\n`);
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => void (log.length < 20_000 && (log += chunk.toString())));
  await listening(port, child, () => log);
  const { stdout } = await run('ssh-keygen', ['-lf', `${hostKey}.pub`]);
  const fingerprint = /SHA256:[A-Za-z0-9+/]{43}/.exec(stdout)?.[0];
  if (!fingerprint) throw new Error(`ssh-keygen -lf gave no fingerprint: ${stdout}`);
  const killSessions = async (): Promise<number> => {
    const pids = child.pid ? await childrenOf(child.pid) : [];
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    return pids.length;
  };
  return {
    port,
    user: os.userInfo().username,
    hostKeyFingerprint: fingerprint,
    hostKeyAlgorithm: 'ssh-ed25519',
    userKeyPath: userKey,
    otherKeyPath: otherKey,
    dir,
    killSessions,
    async stop() {
      await killSessions();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
