import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { matchHostPatterns } from './host-patterns';

/**
 * A minimal reader of `~/.ssh/config`, honoured as far as the SSH library allows: `Host` blocks with
 * `*`/`?`/`!` patterns and `HostName` (with `%h`), `User`, `Port`, `IdentityFile` (with `~`;
 * other `%` tokens are not expanded). The first value found wins, as with ssh. `Match`, `Include`, `ProxyJump` and the
 * rest are not read: a `Match` block is skipped as a whole.
 *
 *   const config = await readSshConfig(); // ~/.ssh/config, or empty
 *   resolveSshHost(config, 'gpu1')        // { hostName: 'gpu1.lab.example.org', port: 2222, identityFiles: [...] }
 */

export interface SshConfigBlock {
  patterns: string[];
  options: Array<[key: string, value: string]>;
}

export interface SshHostSettings {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/** Splits config text into blocks; lines before the first Host apply to every host (pattern `*`). */
export function parseSshConfig(text: string): SshConfigBlock[] {
  const blocks: SshConfigBlock[] = [{ patterns: ['*'], options: [] }];
  let current: SshConfigBlock | null = blocks[0]!;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const found = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(line);
    if (!found) continue;
    const key = found[1]!.toLowerCase();
    const value = found[2]!;
    if (key === 'host') {
      current = { patterns: value.split(/\s+/).map(unquote).filter(Boolean), options: [] };
      blocks.push(current);
    } else if (key === 'match') {
      current = null; // not understood: its options apply to nothing
    } else if (current) {
      current.options.push([key, unquote(value)]);
    }
  }
  return blocks;
}

function expandHome(file: string, homedir: string): string {
  if (file === '~') return homedir;
  return file.startsWith('~/') ? path.join(homedir, file.slice(2)) : file;
}

/** The settings ssh would use for `host` (as typed): first match wins per option; IdentityFiles add up. */
export function resolveSshHost(blocks: SshConfigBlock[], host: string, homedir = os.homedir()): SshHostSettings {
  const settings: SshHostSettings = { identityFiles: [] };
  for (const block of blocks) {
    if (!matchHostPatterns(block.patterns, host)) continue;
    for (const [key, value] of block.options) {
      if (key === 'hostname' && settings.hostName === undefined) settings.hostName = value.replace(/%h/g, host);
      else if (key === 'user' && settings.user === undefined) settings.user = value;
      else if (key === 'port' && settings.port === undefined) {
        const port = Number(value);
        if (Number.isInteger(port) && port > 0 && port < 65536) settings.port = port;
      } else if (key === 'identityfile' && value.toLowerCase() !== 'none') {
        settings.identityFiles.push(path.resolve(homedir, expandHome(value, homedir)));
      }
    }
  }
  return settings;
}

/** Reads ~/.ssh/config; none or unreadable: no blocks. */
export async function readSshConfig(homedir = os.homedir()): Promise<SshConfigBlock[]> {
  const text = await fs.readFile(path.join(homedir, '.ssh', 'config'), 'utf8').catch(() => '');
  return parseSshConfig(text);
}

/** The private keys ssh tries when nothing else is said, in its order. */
export function defaultKeyFiles(homedir = os.homedir()): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => path.join(homedir, '.ssh', name));
}
