import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** How to run nvidia-smi: the command and the environment (tests put a fake first on PATH). */
export interface NvidiaSmiOptions {
  /** An explicit binary; default: `nvidia-smi` from PATH, then WSL's /usr/lib/wsl/lib/nvidia-smi. */
  command?: string;
  env?: NodeJS.ProcessEnv;
  /** A one-shot call that takes longer is killed (a hung driver must not hang the doctor). */
  timeoutMs?: number;
}

/** The outcome of one nvidia-smi call. `missing`: no such program on this machine. */
export interface SmiResult {
  code: number | null;
  stdout: string;
  stderr: string;
  missing: boolean;
  timedOut: boolean;
}

/** Runs nvidia-smi, one-shot or as a long-lived stream; never throws for a missing binary. */
export class NvidiaSmi {
  private readonly candidates: string[];
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;

  constructor(options: NvidiaSmiOptions = {}) {
    this.candidates = options.command
      ? [options.command]
      : process.platform === 'win32'
        ? ['nvidia-smi.exe']
        : ['nvidia-smi', '/usr/lib/wsl/lib/nvidia-smi'];
    this.env = options.env ?? process.env;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** Runs once and collects the output; tries the next candidate when a binary does not exist. */
  async run(args: readonly string[]): Promise<SmiResult> {
    let result: SmiResult = { code: null, stdout: '', stderr: '', missing: true, timedOut: false };
    for (const command of this.candidates) {
      result = await this.runOne(command, args);
      if (!result.missing) return result;
    }
    return result;
  }

  /** Starts a long-lived child (e.g. `-lms 1000`) with the first candidate that exists. */
  async spawnStream(args: readonly string[]): Promise<ChildProcessWithoutNullStreams | null> {
    for (const command of this.candidates) {
      const child = spawn(command, args, { env: this.env, stdio: 'pipe', windowsHide: true });
      const started = await new Promise<boolean>((resolve) => {
        child.once('spawn', () => resolve(true));
        child.once('error', () => resolve(false));
      });
      if (started) return child;
    }
    return null;
  }

  private runOne(command: string, args: readonly string[]): Promise<SmiResult> {
    return new Promise((resolve) => {
      const child = spawn(command, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, this.timeoutMs);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const missing = error.code === 'ENOENT' || error.code === 'EACCES';
        resolve({ code: null, stdout, stderr: stderr || error.message, missing, timedOut });
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, missing: false, timedOut });
      });
    });
  }
}
