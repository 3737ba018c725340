import net from 'node:net';
import type { HubReach, NetworkInfo } from '../../contract';
import { effectiveNetwork, readNetworkSettings } from '../network/network-settings';

/**
 * Can pretrained weights be downloaded from here? A quick look before a run, not a download: a TCP
 * connection to where the weights download would go first — the HTTPS proxy when one is set, else the
 * Hugging Face mirror or huggingface.co on its port — within a few seconds. Offline (no route, no
 * name resolution) answers at once; the Settings step then starts from scratch and says so.
 *
 *   const reach = await hubReach(dataDir);   // { reachable: false, target: 'huggingface.co:443', why: '…' }
 */

const TIMEOUT_MS = 3000;
/** A fresh answer is reused this long: the Settings step asks on every model change. */
const KEEP_MS = 30_000;
const DEFAULT_HUB = 'https://huggingface.co';

/** Host and port the weights download connects to first. */
export function firstHop(effective: NetworkInfo['effective']): { host: string; port: number } {
  const url = new URL(effective.httpsProxy.value ?? effective.hfEndpoint.value ?? DEFAULT_HUB);
  const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

/** Opens (and closes) one TCP connection: whether it succeeded, and the error code when not. */
export function tryConnect(host: string, port: number, timeoutMs = TIMEOUT_MS): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done('no answer'));
    socket.once('connect', () => done(null));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

const WHY: Record<string, string> = {
  ENOTFOUND: 'its name cannot be resolved (no internet connection?)',
  EAI_AGAIN: 'its name cannot be resolved (no internet connection?)',
  ECONNREFUSED: 'it refused the connection',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  'no answer': `it did not answer within ${TIMEOUT_MS / 1000} seconds`,
};

let kept: { key: string; at: number; answer: Promise<HubReach> } | null = null;

/** Whether the weights download's first hop answers, from the app's network settings and environment. */
export async function hubReach(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<HubReach> {
  const { host, port } = firstHop(effectiveNetwork(await readNetworkSettings(dataDir), env));
  const target = `${host}:${port}`;
  if (kept && kept.key === target && Date.now() - kept.at < KEEP_MS) return kept.answer;
  const answer = tryConnect(host, port).then((problem) =>
    problem === null
      ? { reachable: true, target }
      : { reachable: false, target, why: `${target} cannot be reached: ${WHY[problem] ?? problem}` },
  );
  kept = { key: target, at: Date.now(), answer };
  return answer;
}
