import fs from 'node:fs/promises';
import path from 'node:path';
import type { NetworkInfo } from '../../contract';
import { readExtraCaPem } from '../images/extra-ca-certificates';
import { writeFileAtomic } from '../atomic-file';
import {
  effectiveNetwork,
  networkEnv,
  networkSettingsFile,
  networkWarnings,
  proxyBuildArgs,
  readNetworkSettings,
} from './network-settings';

/** Where the weights download container finds the extra certificates (trainer: DEIT_EXTRA_CA_FILE). */
export const CONTAINER_CA_FILE = '/etc/deit-studio/extra-ca.pem';

/** The network side of a container that downloads: environment entries and the certificates file to mount. */
export interface ContainerNetwork {
  env: string[];
  /** Host file with the extra certificates (mounted read-only at CONTAINER_CA_FILE); null when none. */
  caFile: string | null;
}

/** Where the settings and certificates come from (tests give their own). */
export interface NetworkSources {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  extraCaPem?: () => Promise<string>;
}

/** The settings as the UI shows them: saved, effective (with their source), certificates, warnings. */
export async function networkInfo(sources: NetworkSources): Promise<NetworkInfo> {
  const saved = await readNetworkSettings(sources.dataDir);
  const effective = effectiveNetwork(saved, sources.env ?? process.env);
  const pem = await (sources.extraCaPem ?? (() => readExtraCaPem()))();
  return {
    saved,
    effective,
    extraCertificates: pem ? pem.split('-----BEGIN CERTIFICATE-----').length - 1 : 0,
    settingsFile: networkSettingsFile(sources.dataDir),
    warnings: networkWarnings(effective),
  };
}

/** Build arguments for the trainer image build: the proxy settings (the certificates go as EXTRA_CA_PEM). */
export async function buildProxyArgs(sources: NetworkSources): Promise<Record<string, string>> {
  const saved = await readNetworkSettings(sources.dataDir);
  return proxyBuildArgs(effectiveNetwork(saved, sources.env ?? process.env));
}

/**
 * What the weights download container needs: the proxy variables and HF_ENDPOINT, and the extra
 * certificates written to `<data folder>/network/extra-ca.pem` (the trainer adds them to certifi's
 * bundle, since requests trusts only that bundle).
 */
export async function containerNetwork(sources: NetworkSources): Promise<ContainerNetwork> {
  const saved = await readNetworkSettings(sources.dataDir);
  const env = networkEnv(effectiveNetwork(saved, sources.env ?? process.env));
  const pem = await (sources.extraCaPem ?? (() => readExtraCaPem()))();
  if (!pem) return { env, caFile: null };
  const caFile = path.join(sources.dataDir, 'network', 'extra-ca.pem');
  const text = `${pem.trim()}\n`;
  if ((await fs.readFile(caFile, 'utf8').catch(() => null)) !== text) {
    await fs.mkdir(path.dirname(caFile), { recursive: true });
    await writeFileAtomic(caFile, text);
  }
  return { env: [...env, `DEIT_EXTRA_CA_FILE=${CONTAINER_CA_FILE}`], caFile };
}
