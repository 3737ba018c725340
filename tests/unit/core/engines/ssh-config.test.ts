import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchHostPatterns } from '../../../../electron/core/engines/host-patterns';
import { parseSshConfig, resolveSshHost } from '../../../../electron/core/engines/ssh-config';

const HOME = '/home/ada';
const CONFIG = `
# global options before any Host apply to all
IdentityFile ~/.ssh/lab_key

Host gpu1
  HostName gpu1.lab.example.org
  Port 2222
  User ada

Host gpu? !gpu9
  User lab
  IdentityFile "~/.ssh/gpu key"

Match host gpu1
  User never-read

Host *.lab.example.org
  Port=2200
  IdentityFile /keys/lab_rsa

Host *
  User fallback
  IdentityFile none
`;

describe('~/.ssh/config', () => {
  const blocks = parseSshConfig(CONFIG);

  it('takes the first value found, as ssh does, and adds up IdentityFiles', () => {
    expect(resolveSshHost(blocks, 'gpu1', HOME)).toEqual({
      hostName: 'gpu1.lab.example.org',
      port: 2222,
      user: 'ada',
      identityFiles: [path.join(HOME, '.ssh/lab_key'), path.join(HOME, '.ssh/gpu key')],
    });
  });

  it('matches ? and * patterns, honours negation, skips Match blocks', () => {
    expect(resolveSshHost(blocks, 'gpu2', HOME).user).toBe('lab');
    expect(resolveSshHost(blocks, 'gpu9', HOME).user).toBe('fallback');
    expect(resolveSshHost(blocks, 'gpu10', HOME).user).toBe('fallback');
    expect(resolveSshHost(blocks, 'node.lab.example.org', HOME)).toEqual({
      port: 2200,
      user: 'fallback',
      identityFiles: [path.join(HOME, '.ssh/lab_key'), '/keys/lab_rsa'],
    });
  });

  it('an empty config says nothing', () => {
    expect(resolveSshHost(parseSshConfig(''), 'gpu1', HOME)).toEqual({ identityFiles: [] });
  });

  it('host patterns', () => {
    expect(matchHostPatterns(['*.lab', '!bad.lab'], 'gpu1.lab')).toBe(true);
    expect(matchHostPatterns(['*.lab', '!bad.lab'], 'bad.lab')).toBe(false);
    expect(matchHostPatterns(['10.0.0.?'], '10.0.0.7')).toBe(true);
    expect(matchHostPatterns(['10.0.0.?'], '10.0.0.17')).toBe(false);
    expect(matchHostPatterns(['!x'], 'y')).toBe(false);
  });
});
