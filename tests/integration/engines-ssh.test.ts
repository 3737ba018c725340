import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError, EnvironmentReport, type SshTarget } from '../../electron/contract';
import { SettingsFile } from '../../electron/core/app/app-settings';
import { createCore } from '../../electron/core/app-core';
import { dispatchCall } from '../../electron/core/dispatch';
import { EngineRegistry } from '../../electron/core/engines/engine-registry';
import { testDocker, TWIN_IMAGE } from '../helpers/docker-env';
import { fixturePath } from '../helpers/fixtures';
import { startSshServer, type SshServer } from '../helpers/ssh-server';

// Remote engines end to end: a real OpenSSH server on loopback (tests/helpers/ssh-server.ts) whose
// `docker` reaches the real test engine, the engine registry and the doctor through createCore.
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let server: SshServer;
let docker: Dockerode;
let dir: string;
let home: string;
let dataDir: string;
let registry: EngineRegistry;
let inUse = false;

const targetOf = (s: SshServer, keyPath = s.userKeyPath): SshTarget => ({
  user: s.user,
  host: '127.0.0.1',
  port: s.port,
  keyPath,
});

function newRegistry(): EngineRegistry {
  return new EngineRegistry({
    dataDir,
    settings: new SettingsFile(dataDir),
    localDocker: async () => docker,
    login: { homedir: home, env: {} }, // no ssh-agent, no ~/.ssh of the machine
    transport: { retryForMs: 2000 },
    isInUse: () => inUse,
  });
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Nothing of a refused server stays behind: no engine in the settings, no key in the app's known_hosts. */
async function expectNothingSaved(port: number): Promise<void> {
  const settings = await new SettingsFile(dataDir).read();
  expect(settings.engines ?? []).toEqual([]);
  const known = await fs.readFile(path.join(dataDir, 'known_hosts'), 'utf8').catch(() => '');
  expect(known).not.toContain(`:${port}]`);
  expect(registry.list().engines.map((e) => e.id)).toEqual(['local']);
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  docker = await testDocker();
  server = await startSshServer();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-engines-test-'));
});

afterAll(async () => {
  await server?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(dir, 'home-'));
  dataDir = await fs.mkdtemp(path.join(dir, 'data-'));
  inUse = false;
  registry = newRegistry();
  await registry.load();
});

afterEach(() => registry.close());

describe('adding an SSH server', () => {
  it('shows the new host key, refuses a wrong fingerprint, then saves the accepted one', async () => {
    const { stdout } = await run('ssh-keygen', ['-lf', path.join(server.dir, 'host_key.pub')]);
    const check = await registry.checkHost({ host: '127.0.0.1', port: server.port });
    expect(check).toEqual({
      status: 'unknown',
      hostKey: { algorithm: 'ssh-ed25519', fingerprint: server.hostKeyFingerprint },
    });
    expect(stdout).toContain(check.hostKey.fingerprint);

    const wrong = await failure(
      registry.add({ target: targetOf(server), acceptFingerprint: `SHA256:${'x'.repeat(43)}`, choose: true }),
    );
    expect(wrong.kind).toBe('ssh_host_key');
    expect(wrong.message).toContain(server.hostKeyFingerprint);
    await expectNothingSaved(server.port);

    const entry = await registry.add({
      target: targetOf(server),
      acceptFingerprint: check.hostKey.fingerprint,
      choose: true,
    });
    expect(entry).toMatchObject({
      kind: 'ssh',
      label: `${server.user}@127.0.0.1:${server.port}`,
      hostKey: check.hostKey,
    });
    expect(registry.current().id).toBe(entry.id);
    expect((await registry.checkHost({ host: '127.0.0.1', port: server.port })).status).toBe('known');

    // Saved without secrets, and found again by a new registry (an app restart).
    const saved = await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8');
    expect(saved).toContain(server.userKeyPath);
    expect(saved).not.toContain('PRIVATE KEY');
    const again = newRegistry();
    await again.load();
    expect(again.list()).toEqual(registry.list());
    expect((await (await again.docker(entry.id)).version()).Version).toBe((await docker.version()).Version);
    await again.close();
  });

  it('answers through SSH, 12 requests at once, and reconnects after the connection is killed', async () => {
    const { fingerprint } = (await registry.checkHost({ host: '127.0.0.1', port: server.port })).hostKey;
    const entry = await registry.add({ target: targetOf(server), acceptFingerprint: fingerprint, choose: false });
    expect(registry.current().id).toBe('local');
    const remote = await registry.docker(entry.id);
    expect((await remote.version()).Version).toBe((await docker.version()).Version);
    const infos = await Promise.all(Array.from({ length: 12 }, () => remote.info() as Promise<{ ID: string }>));
    expect(new Set(infos.map((i) => i.ID)).size).toBe(1);
    expect(await server.killSessions()).toBeGreaterThan(0);
    expect((await remote.version()).Version).toBe((await docker.version()).Version);
    // What the doctor uses for the server's disk: df over SSH.
    expect(await registry.serverFreeBytes(entry.id, '/')).toBeGreaterThan(0);
    // When df cannot tell, the reason comes back (the doctor shows it), with df's own words.
    await expect(registry.serverFreeSpace(entry.id, '/no-such-folder')).rejects.toThrow(
      /^df \/no-such-folder failed \(exit code 1: df: .*no-such-folder.*No such file or directory\)$/,
    );
  });

  it('follows ~/.ssh/config (alias → HostName, Port, IdentityFile) and logs in with ssh-agent', async () => {
    await fs.mkdir(path.join(home, '.ssh'));
    await fs.copyFile(server.userKeyPath, path.join(home, '.ssh', 'lab_key'));
    await fs.writeFile(
      path.join(home, '.ssh', 'config'),
      `Host gpu-alias\n  HostName 127.0.0.1\n  Port ${server.port}\n  IdentityFile ~/.ssh/lab_key\n`,
    );
    // The alias, on the form's default port, with no key chosen: the config supplies the rest.
    const alias: SshTarget = { user: server.user, host: 'gpu-alias', port: 22 };
    const check = await registry.checkHost({ host: 'gpu-alias', port: 22 });
    expect(check.hostKey.fingerprint).toBe(server.hostKeyFingerprint);
    const entry = await registry.add({ target: alias, acceptFingerprint: check.hostKey.fingerprint, choose: false });
    expect((await (await registry.docker(entry.id)).version()).ApiVersion).toMatch(/^1\./);
    await registry.remove(entry.id);

    // A stale SSH_AUTH_SOCK (the agent is gone, tried first) does not stop a login with ~/.ssh/id_ed25519.
    await fs.copyFile(server.userKeyPath, path.join(home, '.ssh', 'id_ed25519'));
    const stale = new EngineRegistry({
      dataDir,
      settings: new SettingsFile(dataDir),
      localDocker: async () => docker,
      login: { homedir: home, env: { SSH_AUTH_SOCK: path.join(home, 'gone.sock') } },
    });
    await stale.load();
    const viaKey = await stale.add({
      target: { user: server.user, host: '127.0.0.1', port: server.port },
      acceptFingerprint: server.hostKeyFingerprint,
      choose: false,
    });
    expect((await (await stale.docker(viaKey.id)).version()).ApiVersion).toMatch(/^1\./);
    await stale.remove(viaKey.id);
    await stale.close();

    // ssh-agent alone (no key files at all): a real agent holding the user key.
    await fs.rm(path.join(home, '.ssh'), { recursive: true });
    const socket = path.join(home, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !(await fs.stat(socket).catch(() => null)); i += 1) await sleep(100);
      await run('ssh-add', [server.userKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      const withAgent = new EngineRegistry({
        dataDir,
        settings: new SettingsFile(dataDir),
        localDocker: async () => docker,
        login: { homedir: home, env: { SSH_AUTH_SOCK: socket } },
      });
      await withAgent.load();
      const target: SshTarget = { user: server.user, host: '127.0.0.1', port: server.port };
      const added = await withAgent.add({ target, acceptFingerprint: server.hostKeyFingerprint, choose: false });
      expect((await (await withAgent.docker(added.id)).version()).ApiVersion).toMatch(/^1\./);
      await withAgent.close();
    } finally {
      agent.kill('SIGTERM');
    }
  });

  it('refuses a changed host key with the fix, and saves nothing', async () => {
    // ~/.ssh/known_hosts remembers another key for this [host]:port.
    const other = (await fs.readFile(`${server.otherKeyPath}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
    await fs.mkdir(path.join(home, '.ssh'));
    await fs.writeFile(path.join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${server.port} ${other}\n`);
    const check = await registry.checkHost({ host: '127.0.0.1', port: server.port });
    expect(check.status).toBe('changed');
    const error = await failure(
      registry.add({ target: targetOf(server), acceptFingerprint: check.hostKey.fingerprint, choose: true }),
    );
    expect(error.kind).toBe('ssh_host_key');
    expect(error.message).toContain('CHANGED');
    expect(error.fix).toContain(`ssh-keygen -R '[127.0.0.1]:${server.port}'`);
    expect(error.fix).toContain('admin');
    await expectNothingSaved(server.port);
  });

  it('says which keys the server refused and how to add one', async () => {
    const error = await failure(
      registry.add({
        target: targetOf(server, server.otherKeyPath),
        acceptFingerprint: server.hostKeyFingerprint,
        choose: true,
      }),
    );
    expect(error.kind).toBe('ssh_refused');
    expect(error.message).toContain(server.otherKeyPath);
    expect(error.fix).toContain(`ssh-copy-id -p ${server.port} ${server.user}@127.0.0.1`);
    await expectNothingSaved(server.port);
  });

  it('says when the chosen key file is missing or is the public half', async () => {
    for (const [file, words] of [
      [path.join(home, 'nope'), 'cannot be read (ENOENT)'],
      [`${server.userKeyPath}.pub`, 'is a public key'],
    ] as const) {
      const error = await failure(
        registry.add({ target: targetOf(server, file), acceptFingerprint: server.hostKeyFingerprint, choose: true }),
      );
      expect(error.kind).toBe('ssh_refused');
      expect(error.message).toBe(`The key file ${file} ${words}.`);
    }
    await expectNothingSaved(server.port);
  });

  it('says a passphrase-protected key needs ssh-agent', async () => {
    const locked = path.join(home, 'locked_key');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret words', '-f', locked]);
    const error = await failure(
      registry.add({ target: targetOf(server, locked), acceptFingerprint: server.hostKeyFingerprint, choose: true }),
    );
    expect(error.kind).toBe('ssh_refused');
    expect(error.message).toContain('passphrase');
    expect(error.fix).toContain('ssh-add ~/locked_key'); // the key lies in the (test) home folder
  });

  it('says nothing answers at a closed port', async () => {
    const port = await freePort();
    const check = await failure(registry.checkHost({ host: '127.0.0.1', port }));
    expect(check.kind).toBe('ssh_unreachable');
    expect(check.message).toContain(`127.0.0.1:${port}`);
    expect(check.fix).toContain('port');
    const add = await failure(
      registry.add({
        target: { ...targetOf(server), port },
        acceptFingerprint: server.hostKeyFingerprint,
        choose: true,
      }),
    );
    expect(add.kind).toBe('ssh_unreachable');
    await expectNothingSaved(port);
  });

  it('says a server without Docker needs Docker Engine, and one whose engine is down needs it started', async () => {
    for (const [kind, words] of [
      ['missing', 'Install Docker Engine on the server'],
      ['down', 'Start Docker on the server'],
    ] as const) {
      const bare = await startSshServer({ docker: kind });
      try {
        const error = await failure(
          registry.add({ target: targetOf(bare), acceptFingerprint: bare.hostKeyFingerprint, choose: true }),
        );
        expect(error.kind).toBe('docker_unreachable');
        expect(error.fix).toContain(words);
        await expectNothingSaved(bare.port);
      } finally {
        await bare.stop();
      }
    }
  });

  it('refuses to remove a server while a run is live on it; removing the current one chooses this computer', async () => {
    const entry = await registry.add({
      target: targetOf(server),
      acceptFingerprint: server.hostKeyFingerprint,
      choose: true,
    });
    inUse = true;
    expect((await failure(registry.remove(entry.id))).kind).toBe('busy');
    inUse = false;
    expect(await registry.remove(entry.id)).toBe(true);
    expect(registry.list()).toEqual({
      engines: [{ id: 'local', kind: 'local', label: 'This computer' }],
      currentId: 'local',
    });
    expect((await new SettingsFile(dataDir).read()).engines).toEqual([]);
    // Its host key is forgotten too: a server reinstalled with a new key can be added again.
    expect((await registry.checkHost({ host: '127.0.0.1', port: server.port })).status).toBe('unknown');
  });
});

describe('the doctor on the chosen engine', () => {
  it('describes the server through SSH, and this computer again when it is chosen', async () => {
    const hadProbeImage = await docker
      .getImage('deit-studio/gpu-probe:1')
      .inspect()
      .then(
        () => true,
        () => false,
      );
    const core = await createCore({
      shell: 'serve',
      version: '0.0.0-test',
      dataDir,
      trainerDir: fixturePath('docker', 'trainer-tiny'),
      baseImage: TWIN_IMAGE,
      docker,
      background: false,
    });
    const call = async (name: string, input: unknown) => {
      const result = await dispatchCall(core.handlers, name, input);
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
      return result.value as Record<string, unknown>;
    };
    try {
      const check = (await call('engines.checkHost', { host: '127.0.0.1', port: server.port })) as {
        hostKey: { fingerprint: string };
      };
      const target = targetOf(server);
      await call('engines.add', { target, acceptFingerprint: check.hostKey.fingerprint });
      const listed = await call('engines.list', {});
      expect(listed.currentId).toMatch(/^ssh-/);

      const report = EnvironmentReport.parse(await call('environment.check', {}));
      const version = (await docker.version()).Version;
      expect(report.engine).toEqual({
        id: listed.currentId,
        kind: 'ssh',
        label: `${server.user}@127.0.0.1:${server.port}`,
      });
      const docker_ = report.checks.find((c) => c.id === 'docker')!;
      expect(docker_.status).toBe('ok');
      expect(docker_.message).toContain(`Docker Engine ${version}`);
      expect(docker_.message).toContain(`ssh://${server.user}@127.0.0.1:${server.port}`);
      expect(report.checks.find((c) => c.id === 'driver')!.status).toBe('skipped');
      expect(report.checks.find((c) => c.id === 'gpu-container')!.status).toBe('blocking'); // no GPU on the test engine
      expect(report.checks.find((c) => c.id === 'disk')!.message).toContain(`free on ${server.user}@127.0.0.1`);
      expect(report.cpuFallback).toBe(true);

      await call('engines.choose', { id: 'local' });
      const local = EnvironmentReport.parse(await call('environment.check', {}));
      expect(local.engine).toEqual({ id: 'local', kind: 'local', label: 'This computer' });
      expect(local.checks.find((c) => c.id === 'docker')!.message).not.toContain('ssh://');
    } finally {
      await core.close();
      if (!hadProbeImage)
        await docker
          .getImage('deit-studio/gpu-probe:1')
          .remove()
          .catch(() => undefined);
    }
  });
});

describe('what stays on this computer while a server is current', () => {
  it('imports weights with this computer’s engine, even when the server does not answer', async () => {
    const own = await startSshServer();
    const core = await createCore({
      shell: 'serve',
      version: '0.0.0-test',
      dataDir,
      trainerDir: fixturePath('docker', 'trainer-tiny'),
      baseImage: TWIN_IMAGE,
      docker,
      background: false,
    });
    try {
      const check = await dispatchCall(core.handlers, 'engines.checkHost', { host: '127.0.0.1', port: own.port });
      if (!check.ok) throw new Error(check.error.message);
      const added = await dispatchCall(core.handlers, 'engines.add', {
        target: targetOf(own),
        acceptFingerprint: own.hostKeyFingerprint,
      });
      if (!added.ok) throw new Error(added.error.message);
      expect(core.engines.current().kind).toBe('ssh');
      await own.stop(); // the server is gone: an import that went there would fail with ssh_unreachable
      // This fixture's training image is not on this computer's engine: the import says so, about this computer.
      expect(
        await docker
          .getImage(await core.engine.images.tag())
          .inspect()
          .then(
            () => true,
            () => false,
          ),
      ).toBe(false);
      const file = path.join(dataDir, 'mine.safetensors');
      await fs.writeFile(file, 'not checked yet');
      const result = await dispatchCall(core.handlers, 'weights.import', { modelId: 'deit_tiny_patch16_224', file });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({
        kind: 'not_available',
        message: "Importing weights needs the training image on this computer's Docker, and it is not there yet.",
      });
    } finally {
      await core.close();
      await own.stop();
    }
  });
});
