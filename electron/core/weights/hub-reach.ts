import net from 'node:net';
import type { HubReach, NetworkInfo } from '../../contract';
import { effectiveNetwork, readNetworkSettings } from '../network/network-settings';

/**
 * Can pretrained weights be downloaded from here? A quick look before a run, not a download: a TCP
 * connection to the Hugging Face mirror or huggingface.co on its port — or, when an HTTPS proxy is
 * set (and the hub is not in NO_PROXY), a `CONNECT` through the proxy to the hub, because a proxy that
 * answers may still refuse the hub (a proxy that lets through only package registries) — within a few
 * seconds. Offline (no route, no name resolution) answers at once; the Settings step then starts from
 * scratch and says so.
 *
 *   const reach = await hubReach(dataDir);   // { reachable: false, target: 'huggingface.co:443', why: '…' }
 */

const TIMEOUT_MS = 3000;
/** A fresh answer is reused this long: the Settings step asks on every model change. */
const KEEP_MS = 30_000;
const DEFAULT_HUB = 'https://huggingface.co';

export interface HostPort {
  host: string;
  port: number;
}

/** Where the weights download goes: the hub, and the proxy it goes through (null: directly). */
export interface HubRoute {
  hub: HostPort;
  proxy: (HostPort & { authorization: string | null }) | null;
}

function hostPort(url: URL): HostPort {
  const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

/** True when NO_PROXY (comma-separated names, `.suffix`, `*`) sends `host` around the proxy. */
export function bypassesProxy(host: string, noProxy: string | null): boolean {
  if (!noProxy) return false;
  const name = host.toLowerCase();
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toLowerCase().replace(/:\d+$/, ''))
    .filter(Boolean)
    .some(
      (entry) => entry === '*' || name === entry.replace(/^\./, '') || name.endsWith(`.${entry.replace(/^[.*]+/, '')}`),
    );
}

/** The route of the weights download from the app's effective network settings. */
export function hubRoute(effective: NetworkInfo['effective']): HubRoute {
  const hub = hostPort(new URL(effective.hfEndpoint.value ?? DEFAULT_HUB));
  const proxyUrl = effective.httpsProxy.value;
  if (!proxyUrl || bypassesProxy(hub.host, effective.noProxy.value)) return { hub, proxy: null };
  const url = new URL(proxyUrl);
  const user = decodeURIComponent(url.username);
  const authorization = user
    ? `Basic ${Buffer.from(`${user}:${decodeURIComponent(url.password)}`).toString('base64')}`
    : null;
  return { hub, proxy: { ...hostPort(url), authorization } };
}

/**
 * Opens (and closes) one TCP connection: null when it succeeded, else the error code. With `connect`,
 * it then asks the proxy for a tunnel to that host and succeeds only on a 2xx answer.
 */
export function tryConnect(
  host: string,
  port: number,
  timeoutMs = TIMEOUT_MS,
  connect?: { target: HostPort; authorization: string | null },
): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let answer = '';
    const done = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done('no answer'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.once('connect', () => {
      if (!connect) return done(null);
      const to = `${connect.target.host.includes(':') ? `[${connect.target.host}]` : connect.target.host}:${connect.target.port}`;
      const auth = connect.authorization ? `Proxy-Authorization: ${connect.authorization}\r\n` : '';
      socket.write(`CONNECT ${to} HTTP/1.1\r\nHost: ${to}\r\n${auth}\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      const line = answer.split('\r\n')[0] ?? '';
      if (!answer.includes('\r\n')) return;
      const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(line)?.[1];
      done(status?.startsWith('2') ? null : `proxy ${status ?? 'answer'}`);
    });
    socket.once('end', () => done(connect ? 'proxy closed' : null));
  });
}

const WHY: Record<string, string> = {
  ENOTFOUND: 'its name cannot be resolved (no internet connection?)',
  EAI_AGAIN: 'its name cannot be resolved (no internet connection?)',
  ECONNREFUSED: 'it refused the connection',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  'no answer': `it did not answer within ${TIMEOUT_MS / 1000} seconds`,
  'proxy closed': 'the proxy closed the connection',
};

function why(problem: string): string {
  const status = /^proxy (\d{3})$/.exec(problem)?.[1];
  if (status === '407') return 'the proxy asks for a user name and password (put them in the proxy address)';
  if (status) return `the proxy refused to connect to it (HTTP ${status})`;
  return WHY[problem] ?? problem;
}

let kept: { key: string; at: number; answer: Promise<HubReach> } | null = null;

/** Whether the weights download can reach the hub, from the app's network settings and environment. */
export async function hubReach(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<HubReach> {
  const { hub, proxy } = hubRoute(effectiveNetwork(await readNetworkSettings(dataDir), env));
  const hubTarget = `${hub.host}:${hub.port}`;
  const target = proxy ? `${proxy.host}:${proxy.port}` : hubTarget;
  const key = `${target}→${hubTarget}`;
  if (kept && kept.key === key && Date.now() - kept.at < KEEP_MS) return kept.answer;
  const tried = proxy
    ? tryConnect(proxy.host, proxy.port, TIMEOUT_MS, { target: hub, authorization: proxy.authorization })
    : tryConnect(hub.host, hub.port);
  const answer = tried.then((problem): HubReach => {
    if (problem === null) return { reachable: true, target };
    const through = proxy && problem.startsWith('proxy') ? `${hubTarget} through the proxy ${target}` : target;
    return { reachable: false, target, why: `${through} cannot be reached: ${why(problem)}` };
  });
  kept = { key, at: Date.now(), answer };
  return answer;
}
