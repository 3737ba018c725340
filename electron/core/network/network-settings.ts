import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, NetworkSettings, type NetworkInfo } from '../../contract';
import { writeJsonAtomic } from '../atomic-file';

/** The settings file in the app's data folder (docs/engine-environment.md, "Proxy, mirror, certificates"). */
export function networkSettingsFile(dataDir: string): string {
  return path.join(dataDir, 'network.json');
}

type Key = keyof NetworkSettings;

/** The environment variables each setting falls back to, upper case first (as curl and requests read them). */
const ENV_NAMES: Record<Key, string[]> = {
  httpsProxy: ['HTTPS_PROXY', 'https_proxy'],
  httpProxy: ['HTTP_PROXY', 'http_proxy'],
  noProxy: ['NO_PROXY', 'no_proxy'],
  hfEndpoint: ['HF_ENDPOINT'],
};

/** The saved settings; all null (everything from the environment) when there is no file. */
export async function readNetworkSettings(dataDir: string): Promise<NetworkSettings> {
  const file = networkSettingsFile(dataDir);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return NetworkSettings.parse({});
  }
  let parsed: ReturnType<typeof NetworkSettings.safeParse>;
  try {
    parsed = NetworkSettings.safeParse(JSON.parse(text));
  } catch (error) {
    parsed = { success: false, error } as never;
  }
  if (!parsed.success) {
    throw new AppError('validation', `The network settings file ${file} is not valid.`, {
      fix: 'Correct it (see docs/engine-environment.md) or delete it, then try again.',
      detail: String(parsed.error),
    });
  }
  return parsed.data;
}

/** Saves the settings (validated by the contract before they get here). */
export async function writeNetworkSettings(dataDir: string, settings: NetworkSettings): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true });
  await writeJsonAtomic(networkSettingsFile(dataDir), settings);
}

/** Each setting as the containers get it: the saved value, else the app's environment, else none. */
export function effectiveNetwork(saved: NetworkSettings, env: NodeJS.ProcessEnv): NetworkInfo['effective'] {
  const one = (key: Key) => {
    const own = saved[key];
    if (own !== null) return { value: own === '' ? null : own, source: own === '' ? 'none' : 'settings' } as const;
    const name = ENV_NAMES[key].find((n) => env[n]?.trim());
    return name
      ? ({ value: env[name]!.trim(), source: 'environment' } as const)
      : ({ value: null, source: 'none' } as const);
  };
  return {
    httpsProxy: one('httpsProxy'),
    httpProxy: one('httpProxy'),
    noProxy: one('noProxy'),
    hfEndpoint: one('hfEndpoint'),
  };
}

/**
 * Proxy settings for Docker's predefined build arguments (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, both
 * cases): RUN steps see them, and Docker keeps them out of the image's history and build cache key.
 */
export function proxyBuildArgs(effective: NetworkInfo['effective']): Record<string, string> {
  const args: Record<string, string> = {};
  const pairs: Array<[string, string | null]> = [
    ['HTTPS_PROXY', effective.httpsProxy.value],
    ['HTTP_PROXY', effective.httpProxy.value],
    ['NO_PROXY', effective.noProxy.value],
  ];
  for (const [name, value] of pairs) {
    if (!value) continue;
    args[name] = value;
    args[name.toLowerCase()] = value;
  }
  return args;
}

/** The weights download container's environment: the proxy variables (both cases) and HF_ENDPOINT. */
export function networkEnv(effective: NetworkInfo['effective']): string[] {
  const env = Object.entries(proxyBuildArgs(effective)).map(([name, value]) => `${name}=${value}`);
  if (effective.hfEndpoint.value) env.push(`HF_ENDPOINT=${effective.hfEndpoint.value}`);
  return env;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

/** Settings that cannot work as they are, in plain words. */
export function networkWarnings(effective: NetworkInfo['effective']): string[] {
  const warnings: string[] = [];
  for (const [label, setting] of [
    ['HTTPS proxy', effective.httpsProxy],
    ['HTTP proxy', effective.httpProxy],
  ] as const) {
    const host = setting.value ? hostOf(setting.value) : null;
    if (host && LOOPBACK.test(host)) {
      warnings.push(
        `The ${label} ${setting.value} is on this computer's own address: the weights download runs in a container, where that address is the container itself. Use this computer's network address (or host.docker.internal with Docker Desktop).`,
      );
    }
  }
  return warnings;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}
