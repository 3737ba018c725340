import type Dockerode from 'dockerode';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SettingsFile } from '../../electron/core/app/app-settings';
import { EngineRegistry } from '../../electron/core/engines/engine-registry';
import { engineMissing } from '../../electron/core/runs/place/run-places';
import { volumeNames } from '../../electron/core/runs/place/volume-containers';
import { testDocker } from '../helpers/docker-env';
import { removeTestVolumes, seedWeightsVolume } from '../helpers/remote-volumes';
import { metricsLines, RunsHarness, tinyCpuSettings } from '../helpers/runs-harness';
import { folderHash, seedDatasetAndWeights } from '../helpers/runs-seed';
import { tempDir } from '../helpers/runs-temp';
import { testTrainerImage } from '../helpers/runs-trainer-image';
import { startSshServer, type SshServer } from '../helpers/ssh-server';

// A run on a server end to end through SSH: a real OpenSSH server on loopback (tests/helpers/ssh-server.ts)
// whose `docker` is the test engine, the engine registry's SSH transport, and the run service with the
// registry's engineFor/currentEngine as createCore wires them. Every SSH session is killed mid-run.
const PREFIX = 'deit-runs-ssh';
let docker: Dockerode;
let image: string;
let server: SshServer;
let registry: EngineRegistry;
let seed: { dataset: string; weights: string };
let datasetHash: string;
let suite: { dir: string; cleanup: () => void };
const harnesses: RunsHarness[] = [];

beforeAll(async () => {
  docker = await testDocker();
  image = await testTrainerImage(docker);
  suite = tempDir('deit-runs-test-ssh-');
  seed = await seedDatasetAndWeights(docker, image, path.join(suite.dir, 'seed'), {
    model: 'deit_tiny_patch16_224',
    classes: 2,
    perClass: 16,
  });
  datasetHash = folderHash(seed.dataset);
  await removeTestVolumes(docker, PREFIX);
  await seedWeightsVolume({ docker, image, namePrefix: PREFIX, dataDir: suite.dir }, seed.weights);
  server = await startSshServer();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-runs-ssh-home-'));
  const registryDir = fs.mkdtempSync(path.join(suite.dir, 'registry-'));
  registry = new EngineRegistry({
    dataDir: registryDir,
    settings: new SettingsFile(registryDir),
    localDocker: async () => docker,
    login: { homedir: home, env: {} },
    transport: { retryForMs: 2000 },
  });
  await registry.load();
  const check = await registry.checkHost({ host: '127.0.0.1', port: server.port });
  await registry.add({
    target: { user: server.user, host: '127.0.0.1', port: server.port, keyPath: server.userKeyPath },
    acceptFingerprint: check.hostKey.fingerprint,
    choose: true,
  });
}, 600_000);

afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
});

afterAll(async () => {
  if (seed) expect(folderHash(seed.dataset)).toBe(datasetHash); // never written
  await registry?.close();
  await server?.stop();
  if (docker) await removeTestVolumes(docker, PREFIX);
  suite?.cleanup();
});

function harness(): RunsHarness {
  const h = new RunsHarness(docker, fs.mkdtempSync(path.join(suite.dir, 'data-')), image, {
    namePrefix: PREFIX,
    docker: () => registry.docker(registry.current().id),
    engineFor: async (id) => {
      const entry = registry.entry(id);
      if (!entry) throw engineMissing(id);
      return { entry, docker: await registry.docker(id) };
    },
    currentEngine: () => registry.current(),
  });
  harnesses.push(h);
  return h;
}

describe('a run on a server through SSH', () => {
  it('trains there with the dataset sent over SSH, survives every session killed mid-run, and copies the results back', async () => {
    const h = harness();
    const engine = registry.current();
    expect(engine.kind).toBe('ssh');
    const { id } = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 3 }));
    expect((await h.service.summary(id)).engine).toMatchObject({ id: engine.id, kind: 'ssh' });
    await h.waitEvent(id, (e) => e.type === 'step', 240_000);
    expect(await server.killSessions()).toBeGreaterThan(0); // the mirror's streams and the wait go down
    const done = await h.waitStatus(id, ['finished', 'failed'], 300_000);
    expect(done.failure).toBeNull();
    expect(done).toMatchObject({ status: 'finished', epochsDone: 3 });
    expect((h.logs.get(id) ?? []).join('\n')).toMatch(/Sent the dataset to .*: [\d.]+ MB in 32 files/);

    const runDir = path.join(h.paths.runsDir, id);
    const lines = metricsLines(runDir);
    expect((h.events.get(id) ?? []).map((e) => e.index)).toEqual(lines.map((_, i) => i)); // each line once
    const types = lines.map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types.filter((t) => t === 'run_started')).toHaveLength(1);
    expect(types.filter((t) => t === 'epoch')).toHaveLength(3);
    expect(types[types.length - 1]).toBe('finished');
    for (const file of ['report.md', 'eval/metrics.json', 'resolved-config.json', 'checkpoints/best.pt']) {
      expect(fs.existsSync(path.join(runDir, 'output', file)), file).toBe(true);
    }
    await expect(docker.getVolume(volumeNames(PREFIX).run(id)).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
