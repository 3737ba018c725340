import { createHash } from 'node:crypto';
import type Dockerode from 'dockerode';
import { AppError, EngineEntry, LOCAL_ENGINE_ID, type HostKeyCheck, type SshTarget } from '../../contract';
import type { SettingsFile } from '../app/app-settings';
import { changedHostKey, otherHostKey, targetLabel } from './engine-errors';
import { hostKeyOf, KnownHosts, knownKeyTypes } from './known-hosts';
import { sshAddress, sshLogin, type SshLoginOptions } from './ssh-auth';
import { readHostKey } from './ssh-connect';
import { SshTransport, type SshTransportOptions } from './ssh-transport';

/**
 * The Docker engines the app knows: "This computer" and the SSH servers the user added, saved in the
 * app's settings (no secrets: user, host, port, key path, the accepted host key). One is current: the
 * Environment step, images and new runs use it; runs keep the engine they started on.
 *
 *   const engines = new EngineRegistry({ dataDir, settings, localDocker: () => connectDocker() });
 *   await engines.load();
 *   await engines.checkHost({ host: 'gpu1.lab', port: 22 });       // { status: 'unknown', hostKey }
 *   await engines.add({ target, acceptFingerprint, choose: true }); // logs in, docker version, saves
 *   const docker = await engines.docker(engines.current().id);
 */

export const LOCAL_ENGINE: EngineEntry = { id: LOCAL_ENGINE_ID, kind: 'local', label: 'This computer' };

type SshEntry = Extract<EngineEntry, { kind: 'ssh' }>;

export interface EngineRegistryOptions {
  dataDir: string;
  settings: SettingsFile;
  /** This computer's engine: the shell's client, or the Docker connection logic. */
  localDocker: () => Promise<Dockerode>;
  /** Where ~/.ssh is (tests use a temp folder) and the environment (SSH_AUTH_SOCK). */
  login?: SshLoginOptions;
  /** Transport settings for tests (retry time, channels per connection). */
  transport?: Partial<Pick<SshTransportOptions, 'retryForMs' | 'readyTimeoutMs' | 'channelsPerConnection'>>;
  /** Whether a live run uses this engine (remove is refused then); the run service answers. */
  isInUse?: (id: string) => boolean | Promise<boolean>;
}

/** A stable id for a server: the same user@host:port is the same engine. */
export function engineIdOf(target: Pick<SshTarget, 'user' | 'host' | 'port'>): string {
  const key = `${target.user}@${target.host.toLowerCase()}:${target.port}`;
  return `ssh-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

export class EngineRegistry {
  private engines: SshEntry[] = [];
  private currentId: string = LOCAL_ENGINE_ID;
  private transports = new Map<string, SshTransport>();
  private listeners: Array<(entry: EngineEntry) => void> = [];
  private readonly knownHosts: KnownHosts;
  /** Set by the core once the run service exists. */
  isInUse: (id: string) => boolean | Promise<boolean>;

  constructor(private readonly options: EngineRegistryOptions) {
    this.knownHosts = new KnownHosts({ dataDir: options.dataDir, homedir: options.login?.homedir });
    this.isInUse = options.isInUse ?? (() => false);
  }

  /** Reads the saved engines; entries that do not parse are left out (and kept out of the next save). */
  async load(): Promise<void> {
    const settings = await this.options.settings.read();
    this.engines = (settings.engines ?? []).flatMap((raw) => {
      const parsed = EngineEntry.safeParse(raw);
      return parsed.success && parsed.data.kind === 'ssh' ? [parsed.data] : [];
    });
    const id = settings.currentEngineId;
    this.currentId = id && this.entry(id) ? id : LOCAL_ENGINE_ID;
  }

  list(): { engines: EngineEntry[]; currentId: string } {
    return { engines: [LOCAL_ENGINE, ...this.engines], currentId: this.currentId };
  }

  current(): EngineEntry {
    return this.entry(this.currentId) ?? LOCAL_ENGINE;
  }

  entry(id: string): EngineEntry | null {
    if (id === LOCAL_ENGINE_ID) return LOCAL_ENGINE;
    return this.engines.find((e) => e.id === id) ?? null;
  }

  /** Called with the new current engine whenever it changes (the doctor checks it again). */
  onChange(listener: (entry: EngineEntry) => void): void {
    this.listeners.push(listener);
  }

  /** A Docker client for the engine (one SSH connection pool per server, kept until close/remove). */
  async docker(id: string): Promise<Dockerode> {
    if (id === LOCAL_ENGINE_ID) return this.options.localDocker();
    const transport = this.transport(id);
    if (!transport) throw new AppError('not_found', 'That Docker engine is not in the list any more.');
    return transport.docker();
  }

  /** The SSH transport of a server engine (to run a short command there, e.g. `df`); null for local. */
  transport(id: string): SshTransport | null {
    const entry = this.entry(id);
    if (!entry || entry.kind !== 'ssh') return null;
    let transport = this.transports.get(id);
    if (!transport) {
      transport = this.newTransport(entry.target, entry.hostKey);
      this.transports.set(id, transport);
    }
    return transport;
  }

  /** Free bytes of the server's disk holding `dir` (`df` over SSH); null when unknown. */
  async serverFreeBytes(id: string, dir: string): Promise<number | null> {
    return this.serverFreeSpace(id, dir).catch(() => null);
  }

  /** Free bytes of the server's disk holding `dir` (`df -Pk` over SSH); throws with the reason when unknown. */
  async serverFreeSpace(id: string, dir: string): Promise<number> {
    const transport = this.transport(id);
    if (!transport) throw new Error('DeiT Studio has no connection to it');
    if (!/^\/[\w./-]*$/.test(dir)) throw new Error(`its Docker folder ${JSON.stringify(dir)} is not a plain path`);
    const result = await transport.run(`df -Pk ${dir}`);
    if (result.code !== 0) {
      const said = result.stderr.trim().split('\n').at(-1) ?? '';
      throw new Error(`df ${dir} failed (exit code ${result.code ?? 'none'}${said ? `: ${said}` : ''})`);
    }
    const field = result.stdout.trim().split('\n').at(-1)?.split(/\s+/)[3] ?? '';
    const kb = /^\d+$/.test(field) ? Number(field) : NaN;
    if (!Number.isFinite(kb)) throw new Error(`df ${dir} printed something DeiT Studio does not understand`);
    return kb * 1024;
  }

  /** Reads the server's host key (no login) and says whether it is known, new or changed. */
  async checkHost(address: { host: string; port: number }): Promise<HostKeyCheck> {
    const { host, port } = await sshAddress(address.host, address.port, this.options.login?.homedir);
    const lines = await this.knownHosts.lines();
    const target = { user: 'deit-studio', host: address.host, port: address.port };
    const key = await readHostKey(target, { host, port }, knownKeyTypes(lines, host, port));
    return { hostKey: hostKeyOf(key), status: await this.knownHosts.check(host, port, key) };
  }

  /**
   * Adds a server: its host key must be the one the user accepted (and not a changed one), the login
   * must work and its Docker Engine must answer `docker version` through SSH; only then it is saved.
   */
  async add(input: { target: SshTarget; acceptFingerprint: string; choose: boolean }): Promise<EngineEntry> {
    const { target } = input;
    const address = await sshAddress(target.host, target.port, this.options.login?.homedir);
    await sshLogin(target, this.options.login); // a passphrase-only key is reported before connecting
    const lines = await this.knownHosts.lines();
    const key = await readHostKey(target, address, knownKeyTypes(lines, address.host, address.port));
    const hostKey = hostKeyOf(key);
    const status = await this.knownHosts.check(address.host, address.port, key);
    if (status === 'changed') throw changedHostKey(target, hostKey);
    if (hostKey.fingerprint !== input.acceptFingerprint) throw otherHostKey(target, input.acceptFingerprint, hostKey);

    const transport = this.newTransport(target, hostKey);
    try {
      await transport.docker().version();
    } catch (error) {
      await transport.close();
      if (error instanceof AppError) throw error;
      throw new AppError('docker_error', `The Docker Engine on ${target.host} answered with an error.`, {
        fix: 'Check Docker on the server (`docker version` there), then try again.',
        detail: error instanceof Error ? error.message : String(error),
      });
    }
    if (status === 'unknown') await this.knownHosts.remember(address.host, address.port, key);
    const entry: SshEntry = { id: engineIdOf(target), kind: 'ssh', label: targetLabel(target), target, hostKey };
    const old = this.entry(entry.id);
    if (old?.kind === 'ssh' && old.hostKey.fingerprint === hostKey.fingerprint && this.transports.has(entry.id)) {
      await transport.close(); // added again: runs keep the connections they use
    } else {
      await this.transports.get(entry.id)?.close();
      this.transports.set(entry.id, transport);
    }
    this.engines = [...this.engines.filter((e) => e.id !== entry.id), entry];
    const changed = input.choose && this.currentId !== entry.id;
    if (input.choose) this.currentId = entry.id;
    await this.save();
    if (changed) this.notify();
    return entry;
  }

  async choose(id: string): Promise<string> {
    if (!this.entry(id)) throw new AppError('not_found', 'That Docker engine is not in the list any more.');
    if (id === this.currentId) return id;
    this.currentId = id;
    await this.save();
    this.notify();
    return id;
  }

  /** Forgets a server; refused while a live run uses it. The current engine falls back to this computer. */
  async remove(id: string): Promise<boolean> {
    if (id === LOCAL_ENGINE_ID) throw new AppError('validation', 'This computer cannot be removed from the list.');
    if (!this.entry(id)) return false;
    if (await this.isInUse(id)) {
      throw new AppError('busy', 'A run is still live on this server.', {
        fix: 'Wait for it to finish or stop it, then remove the server.',
      });
    }
    const removed = this.entry(id) as SshEntry;
    await this.transports.get(id)?.close();
    this.transports.delete(id);
    this.engines = this.engines.filter((e) => e.id !== id);
    // The app's known_hosts line goes too (unless another entry reaches the same server), so a server
    // reinstalled with a new key can be added again after `ssh-keygen -R`.
    const address = await sshAddress(removed.target.host, removed.target.port, this.options.login?.homedir);
    const shared = this.engines.some(
      (e) => e.target.host === removed.target.host && e.target.port === removed.target.port,
    );
    if (!shared) await this.knownHosts.forget(address.host, address.port);
    const changed = this.currentId === id;
    if (changed) this.currentId = LOCAL_ENGINE_ID;
    await this.save();
    if (changed) this.notify();
    return true;
  }

  /** Ends every SSH connection. */
  async close(): Promise<void> {
    const transports = [...this.transports.values()];
    this.transports.clear();
    await Promise.all(transports.map((t) => t.close()));
  }

  private newTransport(target: SshTarget, hostKey: SshEntry['hostKey']): SshTransport {
    return new SshTransport({ target, hostKey, login: this.options.login, ...this.options.transport });
  }

  private async save(): Promise<void> {
    await this.options.settings.update({
      engines: this.engines,
      currentEngineId: this.currentId === LOCAL_ENGINE_ID ? undefined : this.currentId,
    });
  }

  private notify(): void {
    const entry = this.current();
    for (const listener of this.listeners) listener(entry);
  }
}
