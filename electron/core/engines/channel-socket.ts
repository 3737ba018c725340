import { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { AppError } from '../../contract';

/**
 * An SSH exec channel (running `docker system dial-stdio` on the server) dressed as the socket Node's
 * http client expects: proper destroy(err), the timeout/no-delay/keep-alive/ref calls, and a typed
 * error when the command ended before sending anything (docker missing, engine down, permission).
 *
 *   const socket = new ChannelSocket(channel, (code, stderr) => classifyDialFailure(target, code, stderr), release);
 *   callback(null, socket); // from http.Agent#createConnection
 */
export class ChannelSocket extends Duplex {
  private received = false;
  private exitCode: number | null = null;
  private stderr = '';
  private timeoutMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private released = false;
  // What the http client reads off a net.Socket.
  readonly connecting = false;
  readonly remoteAddress = '127.0.0.1';

  constructor(
    private readonly channel: ClientChannel,
    /** The error of a command that ended without output (exit status, stderr); null: a normal end. */
    private readonly failure: (exitCode: number | null, stderr: string) => AppError | null,
    private readonly release: () => void,
  ) {
    super({ allowHalfOpen: true });
    channel.on('data', (chunk: Buffer) => {
      this.received = true;
      this.touch();
      if (!this.push(chunk)) channel.pause();
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4000) this.stderr += chunk.toString('utf8');
    });
    channel.on('exit', (code: number | null) => (this.exitCode = typeof code === 'number' ? code : null));
    channel.on('error', (error: Error) => this.destroy(error));
    channel.on('end', () => {
      if (this.received) this.push(null);
    });
    channel.on('close', () => {
      this.free();
      if (this.destroyed) return; // closed by us (the http client was done with it)
      const failure = this.failure(this.exitCode, this.stderr);
      if (failure && !this.received) this.destroy(failure);
      else if (this.exitCode === null) {
        // No exit status: the connection dropped under a request (a wait, a log stream) — an error, not an end.
        this.destroy(
          new AppError('ssh_unreachable', 'The SSH connection to the server dropped.', {
            fix: 'DeiT Studio reconnects by itself; try again in a moment.',
          }),
        );
      } else this.push(null);
    });
  }

  /** Exit code and stderr of the server command, once it ended (for messages). */
  get ended(): { exitCode: number | null; stderr: string } {
    return { exitCode: this.exitCode, stderr: this.stderr };
  }

  override _read(): void {
    this.channel.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.touch();
    this.channel.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.channel.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.channel.close();
    this.free();
    callback(error);
  }

  setTimeout(ms: number, onTimeout?: () => void): this {
    this.timeoutMs = ms;
    if (onTimeout) this.once('timeout', onTimeout);
    this.touch();
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  private touch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = this.timeoutMs > 0 ? setTimeout(() => this.emit('timeout'), this.timeoutMs) : null;
  }

  private free(): void {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearTimeout(this.timer);
    this.release();
  }
}
