import http from 'node:http';
import type { Duplex } from 'node:stream';
import Dockerode from 'dockerode';
import type { Client, ClientChannel } from 'ssh2';
import { AppError, type HostKey, type SshTarget } from '../../contract';
import { ChannelSocket } from './channel-socket';
import { classifyDialFailure, targetLabel } from './engine-errors';
import { sshLogin, type SshLoginOptions } from './ssh-auth';
import { connectClient } from './ssh-connect';

/**
 * The way to a Docker Engine on a server: a small pool of persistent SSH connections, and an http.Agent
 * whose every socket is an exec channel running `docker system dial-stdio` there. OpenSSH allows 10
 * sessions per connection (MaxSessions), so a connection carries at most 8 channels and more
 * connections open as needed (or when the server refuses a channel). A dropped connection is replaced
 * on the next request, with backoff; a request made while the server is unreachable waits up to
 * `retryForMs`, then fails with a typed AppError. Login problems (host key, refused key) fail at once.
 *
 *   const transport = new SshTransport({ target, hostKey });
 *   const docker = transport.docker(); // a Dockerode client talking through SSH
 *   await transport.close();
 */

export interface SshTransportOptions {
  target: SshTarget;
  /** The host key the user accepted; the server must show exactly this one. */
  hostKey: HostKey;
  login?: SshLoginOptions;
  channelsPerConnection?: number;
  /** Long-lived requests (log streams, waits, execs) hold a channel each: up to 12 x 8 at once, then requests queue. */
  maxConnections?: number;
  /** How long a request waits for a dropped connection to come back. */
  retryForMs?: number;
  /** How long a request waits for a free channel when every connection is full. */
  queueTimeoutMs?: number;
  /** A spare connection (beyond one) unused this long is closed. */
  idleCloseMs?: number;
  readyTimeoutMs?: number;
}

interface Connection {
  ready: Promise<Client>;
  client: Client | null;
  channels: number;
  capacity: number;
  dead: boolean;
  /** Closes a spare connection that stayed unused (the first one is kept for the next request). */
  idle: NodeJS.Timeout | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Errors worth waiting out: the network, a connection that closed under us. */
function retryable(error: unknown): boolean {
  return error instanceof AppError && error.kind === 'ssh_unreachable';
}

export class SshTransport {
  readonly agent: http.Agent;
  private connections: Connection[] = [];
  private waiters: Array<() => void> = [];
  private closed = false;
  private client: Dockerode | null = null;

  constructor(private readonly options: SshTransportOptions) {
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    // http.Agent's own socket factory is replaced: each request gets a fresh dial-stdio channel.
    agent.createConnection = ((_opts: unknown, callback: (error: Error | null, socket?: Duplex) => void) => {
      this.dial().then(
        (socket) => callback(null, socket),
        (error: Error) => callback(error),
      );
      return undefined;
    }) as unknown as http.Agent['createConnection'];
    this.agent = agent;
  }

  get label(): string {
    return targetLabel(this.options.target);
  }

  /** A Dockerode client whose requests go through this transport. */
  docker(): Dockerode {
    this.client ??= new Dockerode({
      protocol: 'http',
      host: 'engine.ssh',
      port: 80,
      agent: this.agent,
    } as Dockerode.DockerOptions);
    return this.client;
  }

  /** Open SSH connections and their channels (tests and diagnostics). */
  stats(): Array<{ channels: number; capacity: number }> {
    return this.connections.filter((c) => !c.dead).map((c) => ({ channels: c.channels, capacity: c.capacity }));
  }

  /** A socket to the server's Docker Engine. */
  async dial(): Promise<ChannelSocket> {
    const { target } = this.options;
    const channel = await this.openChannel('docker system dial-stdio');
    return new ChannelSocket(
      channel.stream,
      // No exit status and nothing on stderr: the connection dropped (ChannelSocket says so), not Docker.
      (code, stderr) =>
        code === 0 || (code === null && !stderr.trim()) ? null : classifyDialFailure(target, code, stderr),
      channel.release,
    );
  }

  /** Runs a short command on the server (e.g. `df`); its output and exit code. */
  async run(command: string, limitBytes = 1 << 20): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const { stream, release } = await this.openChannel(command);
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      stream.on('data', (chunk: Buffer) => void (stdout.length < limitBytes && (stdout += chunk.toString('utf8'))));
      stream.stderr.on(
        'data',
        (chunk: Buffer) => void (stderr.length < limitBytes && (stderr += chunk.toString('utf8'))),
      );
      stream.on('exit', (exit: number | null) => (code = typeof exit === 'number' ? exit : null));
      stream.on('error', () => undefined); // the close below reports the outcome
      stream.on('close', () => {
        release();
        resolve({ code, stdout, stderr });
      });
      stream.end();
    });
  }

  /** Ends every connection; later requests fail. */
  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
    for (const connection of this.connections.splice(0)) {
      if (connection.idle) clearTimeout(connection.idle);
      connection.dead = true;
      connection.client?.end();
    }
    for (const wake of this.waiters.splice(0)) wake();
  }

  private async openChannel(command: string): Promise<{ stream: ClientChannel; release: () => void }> {
    const deadline = Date.now() + (this.options.retryForMs ?? 10_000);
    let backoff = 250;
    let lastError: unknown;
    for (;;) {
      if (this.closed) throw new AppError('not_available', `The connection to ${this.label} was closed.`);
      const connection = this.pick();
      if (!connection) {
        await this.waitForChannel(); // every channel busy (long-lived streams): wait for one, not forever
        continue;
      }
      connection.channels += 1;
      if (connection.idle) clearTimeout(connection.idle);
      connection.idle = null;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        connection.channels -= 1;
        if (connection.channels === 0) this.closeWhenIdle(connection);
        this.waiters.shift()?.();
      };
      try {
        const client = await connection.ready;
        const stream = await new Promise<ClientChannel>((resolve, reject) =>
          client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel))),
        );
        return { stream, release };
      } catch (error) {
        release();
        lastError = error;
        if (error instanceof AppError && !retryable(error)) throw error;
        if (!connection.dead && !(error instanceof AppError) && connection.channels > 0) {
          // The server refused one more channel (MaxSessions): this connection is full at its current count.
          connection.capacity = connection.channels;
          continue;
        }
      }
      if (Date.now() + backoff > deadline) break;
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 2000);
    }
    if (lastError instanceof AppError) throw lastError;
    throw new AppError('ssh_unreachable', `The SSH connection to ${this.label} failed.`, {
      fix: 'Check that the server is reachable, then try again.',
      detail: lastError instanceof Error ? lastError.message : String(lastError),
    });
  }

  private waitForChannel(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(
          new AppError('busy', `Every connection to ${this.label} is busy.`, {
            fix: 'Wait for a run or download on this server to finish, then try again.',
          }),
        );
      }, this.options.queueTimeoutMs ?? 60_000);
      this.waiters.push(wake);
    });
  }

  private closeWhenIdle(connection: Connection): void {
    if (connection.idle) clearTimeout(connection.idle);
    connection.idle = setTimeout(() => {
      connection.idle = null;
      const spare = this.connections.some((c) => c !== connection && !c.dead);
      if (connection.channels > 0 || !spare || this.waiters.length > 0) return;
      connection.dead = true;
      connection.client?.end();
    }, this.options.idleCloseMs ?? 60_000);
    connection.idle.unref();
  }

  /** A live connection with a free channel, or a new connection; null when all are full. */
  private pick(): Connection | null {
    this.connections = this.connections.filter((c) => !c.dead);
    const free = this.connections.find((c) => c.channels < c.capacity);
    if (free) return free;
    if (this.connections.length >= (this.options.maxConnections ?? 12)) return null;
    const connection = this.connect();
    this.connections.push(connection);
    return connection;
  }

  private connect(): Connection {
    const { target, hostKey } = this.options;
    const connection: Connection = {
      ready: null as unknown as Promise<Client>,
      client: null,
      channels: 0,
      capacity: this.options.channelsPerConnection ?? 8,
      dead: false,
      idle: null,
    };
    connection.ready = (async () => {
      const login = await sshLogin(target, this.options.login);
      const client = await connectClient({
        target,
        login,
        fingerprint: hostKey.fingerprint,
        keyType: hostKey.algorithm,
        readyTimeoutMs: this.options.readyTimeoutMs,
      });
      connection.client = client;
      client.on('close', () => (connection.dead = true));
      client.on('error', (error: Error & { level?: string }) => {
        if (error.level !== 'agent') connection.dead = true; // 'close' follows; channels see their own close
      });
      if (this.closed) client.end();
      return client;
    })();
    connection.ready.catch(() => (connection.dead = true));
    return connection;
  }
}

/** A Dockerode client for a server's engine, and the transport to close when done with it. */
export function sshDocker(options: SshTransportOptions): { docker: Dockerode; transport: SshTransport } {
  const transport = new SshTransport(options);
  return { docker: transport.docker(), transport };
}
