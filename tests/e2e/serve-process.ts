import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A running `serve` process, as a user would start it. */
export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  /** `Authorization: Bearer <token>`: what the page sends with every API request (no cookie carries it). */
  auth: Record<string, string>;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The journeys play a machine without internet for the weights (the newcomer's offline path), whatever
 * the test machine can reach: the Hugging Face address is one that never resolves (`.invalid`), so the
 * app's look before a run finds no hub — directly, or through a proxy of the environment, which
 * refuses the tunnel. The image build keeps the environment's proxy for pip.
 */
const OFFLINE_HUB = { HF_ENDPOINT: 'https://huggingface.invalid' };

/**
 * Starts dist/serve/serve.cjs and waits for the printed address: on a free port with a random token,
 * unless told (a restart on the same port, with the same token or a new one).
 */
export async function startServe(
  options: { dataDir?: string; env?: NodeJS.ProcessEnv; port?: number; token?: string } = {},
): Promise<ServeProcess> {
  const bundle = path.join(ROOT, 'dist', 'serve', 'serve.cjs');
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first (npm test does).`);
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'deit-e2e-'));
  const args = [bundle, '--port', String(options.port ?? 0), '--data-dir', dataDir];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...OFFLINE_HUB,
      ...options.env,
      ...(options.token ? { DEIT_STUDIO_TOKEN: options.token } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its address in 30 s:\n${output}`)), 30_000);
    const check = () => {
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  return {
    url,
    origin: parsed.origin,
    token,
    auth: { authorization: `Bearer ${token}` },
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
