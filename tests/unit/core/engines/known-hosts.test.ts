import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fingerprintOf,
  hostForm,
  hostKeyStatus,
  KnownHosts,
  keyTypeOf,
  knownKeyTypes,
  parseKnownHosts,
} from '../../../../electron/core/engines/known-hosts';

// Two ed25519 keys and their fingerprints as `ssh-keygen -lf` printed them; the hashed lines below are
// what `ssh-keygen -H` wrote for `gpu1.lab.example.org` (key 1) and `[gpu2.lab]:2222` (key 2).
const KEY1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIHVrWRt+JBDzeBQFvMdkl/m/dBkMzh1SSIi3CHr2g5O/';
const KEY2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIIK1YuCLKvFEFfaARWF22eWcuTBRIlAOf0at1j9YA59I';
const FP1 = 'SHA256:YznPFuq0L9/ETkBYAuuwpSl7QhsblLkBanX5tlEkOi8';
const FP2 = 'SHA256:JDQwb1WzkiuXZY+T7q5wZLNtwqb0aSX5qXevBteOqgQ';
const HASHED = [
  `|1|eag5tMEL4SMJze+lCJYDdhXQQrw=|KtJXmsiNGS16eIuIsrkOK9xmDA4= ssh-ed25519 ${KEY1}`,
  `|1|ys1N6WFxIA5OefbNQ6jDYg8lZgY=|C9rLgECpA8PgCXM0nzq10ew+mQk= ssh-ed25519 ${KEY2}`,
].join('\n');
const key1 = Buffer.from(KEY1, 'base64');
const key2 = Buffer.from(KEY2, 'base64');

describe('host key fingerprints', () => {
  it('match ssh-keygen -lf', () => {
    expect(fingerprintOf(key1)).toBe(FP1);
    expect(fingerprintOf(key2)).toBe(FP2);
    expect(keyTypeOf(key1)).toBe('ssh-ed25519');
  });
});

describe('known_hosts parsing', () => {
  it('finds hashed entries by host and by [host]:port', () => {
    const lines = parseKnownHosts(HASHED);
    expect(hostKeyStatus(lines, 'gpu1.lab.example.org', 22, key1)).toBe('known');
    expect(hostKeyStatus(lines, 'GPU1.lab.example.org', 22, key1)).toBe('known');
    expect(hostKeyStatus(lines, 'gpu1.lab.example.org', 22, key2)).toBe('changed');
    expect(hostKeyStatus(lines, 'gpu2.lab', 2222, key2)).toBe('known');
    expect(hostKeyStatus(lines, 'gpu2.lab', 22, key2)).toBe('unknown'); // another port is another host
    expect(hostKeyStatus(lines, 'gpu3.lab', 22, key1)).toBe('unknown');
  });

  it('reads plain host lists, patterns and negations, and skips junk', () => {
    const text = [
      '# a comment',
      '',
      `gpu1,gpu1.lab,10.0.0.5 ssh-ed25519 ${KEY1} user@laptop`,
      `*.cluster,!login.cluster ssh-ed25519 ${KEY2}`,
      `[node?.lab]:2200 ssh-ed25519 ${KEY2}`,
      'broken-line-without-key',
      'gpu9 ssh-ed25519 not*base64',
    ].join('\n');
    const lines = parseKnownHosts(text);
    expect(lines).toHaveLength(3);
    expect(hostKeyStatus(lines, '10.0.0.5', 22, key1)).toBe('known');
    expect(hostKeyStatus(lines, 'a.cluster', 22, key2)).toBe('known');
    expect(hostKeyStatus(lines, 'login.cluster', 22, key2)).toBe('unknown');
    expect(hostKeyStatus(lines, 'node7.lab', 2200, key2)).toBe('known');
    expect(hostKeyStatus(lines, 'node17.lab', 2200, key2)).toBe('unknown');
    expect(knownKeyTypes(lines, 'gpu1', 22)).toEqual(['ssh-ed25519']);
  });

  it('never accepts a @revoked key, and skips @cert-authority lines', () => {
    const lines = parseKnownHosts(
      [`@revoked * ssh-ed25519 ${KEY1}`, `@cert-authority *.lab ssh-ed25519 ${KEY2}`, `gpu1 ssh-ed25519 ${KEY1}`].join(
        '\n',
      ),
    );
    expect(hostKeyStatus(lines, 'gpu1', 22, key1)).toBe('changed');
    expect(hostKeyStatus(lines, 'x.lab', 22, key2)).toBe('unknown');
  });

  it('names hosts the way ssh does', () => {
    expect(hostForm('GPU1.lab', 22)).toBe('gpu1.lab');
    expect(hostForm('gpu1.lab', 2222)).toBe('[gpu1.lab]:2222');
  });
});

describe('the app’s own known_hosts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-known-hosts-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('remembers accepted keys beside ~/.ssh/known_hosts, which it reads but never writes', async () => {
    const home = path.join(dir, 'home');
    await fs.mkdir(path.join(home, '.ssh'), { recursive: true });
    await fs.writeFile(path.join(home, '.ssh', 'known_hosts'), `${HASHED}\n`);
    const hosts = new KnownHosts({ dataDir: path.join(dir, 'data'), homedir: home });
    expect(await hosts.check('gpu1.lab.example.org', 22, key1)).toBe('known');
    expect(await hosts.check('new.lab', 2022, key2)).toBe('unknown');
    await hosts.remember('new.lab', 2022, key2);
    await hosts.remember('other.lab', 22, key1);
    await hosts.remember('new.lab', 2022, key1); // accepted again (reinstalled): replaces the old line
    expect(await hosts.check('new.lab', 2022, key1)).toBe('known');
    expect(await hosts.check('new.lab', 2022, key2)).toBe('changed');
    expect(await hosts.check('other.lab', 22, key1)).toBe('known');
    expect(await fs.readFile(path.join(dir, 'data', 'known_hosts'), 'utf8')).toBe(
      `other.lab ssh-ed25519 ${KEY1}\n[new.lab]:2022 ssh-ed25519 ${KEY1}\n`,
    );
    expect(await fs.readFile(path.join(home, '.ssh', 'known_hosts'), 'utf8')).toBe(`${HASHED}\n`);
    await hosts.forget('new.lab', 2022);
    expect(await hosts.check('new.lab', 2022, key1)).toBe('unknown');
    expect(await fs.readFile(path.join(dir, 'data', 'known_hosts'), 'utf8')).toBe(`other.lab ssh-ed25519 ${KEY1}\n`);
  });
});
