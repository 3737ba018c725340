import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NetworkSettings, calls } from '../../../../electron/contract';
import { CONTAINER_CA_FILE, containerNetwork, networkInfo } from '../../../../electron/core/network/container-network';
import {
  effectiveNetwork,
  networkEnv,
  networkWarnings,
  proxyBuildArgs,
  readNetworkSettings,
  writeNetworkSettings,
} from '../../../../electron/core/network/network-settings';
import { useTempDirs } from '../../../helpers/temp-dirs';

const dataDir = useTempDirs('deit-network-');

const unset = NetworkSettings.parse({});

describe('network settings', () => {
  it('take the saved value, else the environment (upper case first, then lower case), else none', () => {
    const env = {
      https_proxy: 'http://lower:1',
      HTTP_PROXY: 'http://upper:2',
      http_proxy: 'http://lower:2',
      no_proxy: 'a,b',
    };
    const effective = effectiveNetwork({ ...unset, hfEndpoint: 'https://mirror.example' }, env);
    expect(effective).toEqual({
      httpsProxy: { value: 'http://lower:1', source: 'environment' },
      httpProxy: { value: 'http://upper:2', source: 'environment' },
      noProxy: { value: 'a,b', source: 'environment' },
      hfEndpoint: { value: 'https://mirror.example', source: 'settings' },
    });
    // An empty saved value means none, even though the environment has one.
    expect(effectiveNetwork({ ...unset, httpsProxy: '' }, env).httpsProxy).toEqual({ value: null, source: 'none' });
  });

  it('become both cases of Docker’s predefined build arguments, and the download’s environment', () => {
    const effective = effectiveNetwork(
      { httpsProxy: 'http://p:3128', httpProxy: null, noProxy: 'localhost', hfEndpoint: 'https://m.example' },
      {},
    );
    expect(proxyBuildArgs(effective)).toEqual({
      HTTPS_PROXY: 'http://p:3128',
      https_proxy: 'http://p:3128',
      NO_PROXY: 'localhost',
      no_proxy: 'localhost',
    });
    expect(networkEnv(effective)).toEqual([
      'HTTPS_PROXY=http://p:3128',
      'https_proxy=http://p:3128',
      'NO_PROXY=localhost',
      'no_proxy=localhost',
      'HF_ENDPOINT=https://m.example',
    ]);
    expect(proxyBuildArgs(effectiveNetwork(unset, {}))).toEqual({});
  });

  it('warn about a proxy on this computer’s own address (the download runs in a container)', () => {
    const warnings = networkWarnings(effectiveNetwork({ ...unset, httpsProxy: 'http://127.0.0.1:3128' }, {}));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/own address.*host\.docker\.internal/);
    expect(networkWarnings(effectiveNetwork({ ...unset, httpsProxy: 'http://proxy.corp:3128' }, {}))).toEqual([]);
  });

  it('are saved in network.json and read back; a damaged file is a typed error naming it', async () => {
    const dir = dataDir();
    expect(await readNetworkSettings(dir)).toEqual(unset);
    const saved = { ...unset, httpsProxy: 'http://user:pw@proxy:8080', noProxy: '.corp.example, 10.0.0.0/8' };
    await writeNetworkSettings(dir, saved);
    expect(await readNetworkSettings(dir)).toEqual(saved);
    fs.writeFileSync(path.join(dir, 'network.json'), '{"httpsProxy": "proxy:8080"}');
    await expect(readNetworkSettings(dir)).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('network.json'),
    });
  });

  it('are validated by the contract: proxies and mirrors are http(s) addresses', () => {
    const input = calls['network.set'].input;
    expect(input.safeParse({ settings: { httpsProxy: 'proxy:3128' } }).success).toBe(false);
    expect(input.safeParse({ settings: { httpsProxy: 'socks5://proxy:1080' } }).success).toBe(false);
    expect(input.safeParse({ settings: { hfEndpoint: 'https://mirror.example/' } }).success).toBe(false);
    expect(input.safeParse({ settings: { noProxy: 'a;rm -rf' } }).success).toBe(false);
    expect(input.safeParse({ settings: { unknown: 1 } }).success).toBe(false);
    expect(input.parse({ settings: { httpsProxy: ' http://proxy:3128 ', hfEndpoint: '' } }).settings).toEqual({
      ...unset,
      httpsProxy: 'http://proxy:3128',
      hfEndpoint: '',
    });
  });
});

describe('containerNetwork', () => {
  it('writes the extra certificates once into the data folder and points the download at them', async () => {
    const dir = dataDir();
    const pem = '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----';
    const net = await containerNetwork({
      dataDir: dir,
      env: { HTTPS_PROXY: 'http://p:1' },
      extraCaPem: async () => pem,
    });
    expect(net.caFile).toBe(path.join(dir, 'network', 'extra-ca.pem'));
    expect(fs.readFileSync(net.caFile!, 'utf8')).toBe(`${pem}\n`);
    expect(net.env).toEqual([
      'HTTPS_PROXY=http://p:1',
      'https_proxy=http://p:1',
      `DEIT_EXTRA_CA_FILE=${CONTAINER_CA_FILE}`,
    ]);
    const mtime = fs.statSync(net.caFile!).mtimeMs;
    await containerNetwork({ dataDir: dir, env: {}, extraCaPem: async () => pem });
    expect(fs.statSync(net.caFile!).mtimeMs).toBe(mtime); // unchanged: not rewritten
    expect(await containerNetwork({ dataDir: dir, env: {}, extraCaPem: async () => '' })).toEqual({
      env: [],
      caFile: null,
    });
  });

  it('networkInfo counts the certificates and says where the settings are saved', async () => {
    const dir = dataDir();
    const pem =
      '-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----';
    const info = await networkInfo({
      dataDir: dir,
      env: { HF_ENDPOINT: 'https://m.example' },
      extraCaPem: async () => pem,
    });
    expect(info.extraCertificates).toBe(2);
    expect(info.settingsFile).toBe(path.join(dir, 'network.json'));
    expect(info.effective.hfEndpoint).toEqual({ value: 'https://m.example', source: 'environment' });
  });
});
