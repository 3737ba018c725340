import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HostKey, HostKeyCheck } from '../../contract';
import { writeFileAtomic } from '../atomic-file';
import { matchHostPatterns } from './host-patterns';

/**
 * Host keys we know: the user's `~/.ssh/known_hosts` (read only, never written) and the app's own
 * `<data dir>/known_hosts`, where a fingerprint the user accepted in the app is remembered. Both use
 * OpenSSH's format: plain host lists (`host`, `[host]:port`, comma lists, `*`/`?`/`!` patterns), hashed
 * entries (`|1|salt|hash`), `@revoked` (a key that must never be accepted) and `@cert-authority`
 * (certificates are not supported here: those lines are skipped).
 *
 *   const hosts = new KnownHosts({ dataDir });
 *   const status = await hosts.check('gpu1.lab', 22, rawKey); // 'known' | 'unknown' | 'changed'
 *   await hosts.remember('gpu1.lab', 22, rawKey);
 */

export interface KnownHostLine {
  marker: 'revoked' | 'cert-authority' | null;
  /** The host field as written: a comma list of patterns, or one `|1|salt|hash`. */
  hosts: string;
  keyType: string;
  /** The key's wire bytes (base64-decoded). */
  key: Buffer;
}

/** OpenSSH's fingerprint of a host key: `SHA256:` + base64 of its SHA-256, without padding. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written at the start of an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, …). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  if (length <= 0 || length > 64 || 4 + length > key.length) return 'unknown';
  return key.subarray(4, 4 + length).toString('latin1');
}

export function hostKeyOf(key: Buffer): HostKey {
  return { algorithm: keyTypeOf(key), fingerprint: fingerprintOf(key) };
}

/** How known_hosts names a host: `host` on port 22, else `[host]:port`. */
export function hostForm(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** Parses known_hosts text; malformed lines are skipped (as ssh does), never thrown on. */
export function parseKnownHosts(text: string): KnownHostLine[] {
  const lines: KnownHostLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) continue;
    let marker: KnownHostLine['marker'] = null;
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!.slice(1).toLowerCase();
      if (name !== 'revoked' && name !== 'cert-authority') continue; // an unknown marker: skip the line
      marker = name;
    }
    const [hosts, keyType, keyText] = fields;
    if (!hosts || !keyType || !keyText || !/^[A-Za-z0-9+/]+={0,2}$/.test(keyText)) continue;
    const key = Buffer.from(keyText, 'base64');
    if (key.length === 0) continue;
    lines.push({ marker, hosts, keyType, key });
  }
  return lines;
}

/** Whether a line's host field names this host (`name` as from hostForm). */
export function lineMatches(line: KnownHostLine, name: string): boolean {
  if (line.hosts.startsWith('|1|')) {
    const [, , salt, hash] = line.hosts.split('|');
    if (!salt || !hash) return false;
    const want = Buffer.from(hash, 'base64');
    const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    return want.length === got.length && timingSafeEqual(want, got);
  }
  return matchHostPatterns(line.hosts.split(','), name);
}

export type HostKeyStatus = HostKeyCheck['status'];

/**
 * What `key` is to these lines for `host:port`: `known` when a line names the host with this very key,
 * `changed` when lines name the host with other keys only (or this key is @revoked), else `unknown`.
 */
export function hostKeyStatus(lines: KnownHostLine[], host: string, port: number, key: Buffer): HostKeyStatus {
  const name = hostForm(host, port);
  if (lines.some((l) => l.marker === 'revoked' && l.key.equals(key))) return 'changed';
  const forHost = lines.filter((l) => l.marker === null && lineMatches(l, name));
  if (forHost.some((l) => l.key.equals(key))) return 'known';
  return forHost.length > 0 ? 'changed' : 'unknown';
}

/** The key types known_hosts has for this host, so the connection can ask the server for one of them first. */
export function knownKeyTypes(lines: KnownHostLine[], host: string, port: number): string[] {
  const name = hostForm(host, port);
  const types = lines.filter((l) => l.marker === null && lineMatches(l, name)).map((l) => l.keyType);
  return [...new Set(types)];
}

export interface KnownHostsOptions {
  /** The app's data folder: its `known_hosts` holds the keys accepted in the app. */
  dataDir: string;
  /** Where `.ssh/known_hosts` is looked for (tests use a temp folder). */
  homedir?: string;
}

export class KnownHosts {
  readonly appFile: string;
  readonly userFile: string;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(options: KnownHostsOptions) {
    this.appFile = path.join(options.dataDir, 'known_hosts');
    this.userFile = path.join(options.homedir ?? os.homedir(), '.ssh', 'known_hosts');
  }

  /** Every line of both files (a missing or unreadable file counts as empty). */
  async lines(): Promise<KnownHostLine[]> {
    const read = (file: string) => fs.readFile(file, 'utf8').catch(() => '');
    const [user, app] = await Promise.all([read(this.userFile), read(this.appFile)]);
    return [...parseKnownHosts(user), ...parseKnownHosts(app)];
  }

  async check(host: string, port: number, key: Buffer): Promise<HostKeyStatus> {
    return hostKeyStatus(await this.lines(), host, port, key);
  }

  /**
   * Remembers a key the user accepted for host:port in the app's file (atomic rewrite; other hosts' lines
   * kept, this host's old plain lines replaced). The user's ~/.ssh files are never written.
   */
  remember(host: string, port: number, key: Buffer): Promise<void> {
    return this.rewrite(host, port, `${hostForm(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}`);
  }

  /** Forgets what the app remembered for host:port (the server was removed from the list). */
  forget(host: string, port: number): Promise<void> {
    return this.rewrite(host, port, null);
  }

  private rewrite(host: string, port: number, added: string | null): Promise<void> {
    const next = this.writing.then(async () => {
      const name = hostForm(host, port);
      const before = (await fs.readFile(this.appFile, 'utf8').catch(() => ''))
        .split(/\r?\n/)
        .filter((raw) => raw.trim());
      const kept = before.filter((raw) => {
        const line = parseKnownHosts(raw)[0];
        return !(line && line.marker === null && line.hosts === name);
      });
      if (added) kept.push(added);
      else if (kept.length === before.length) return; // nothing to forget: the file stays as it is
      await fs.mkdir(path.dirname(this.appFile), { recursive: true });
      await writeFileAtomic(this.appFile, kept.length ? `${kept.join('\n')}\n` : '');
    });
    this.writing = next.catch(() => undefined);
    return next;
  }
}
