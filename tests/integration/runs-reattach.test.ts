import type Dockerode from 'dockerode';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChildCore } from '../helpers/child-core-bundle';
import { testDocker } from '../helpers/docker-env';
import { metricsLines, RunsHarness, tinyCpuSettings } from '../helpers/runs-harness';
import { folderHash, seedDatasetAndWeights } from '../helpers/runs-seed';
import { tempDir, waitFor } from '../helpers/runs-temp';
import { testTrainerImage } from '../helpers/runs-trainer-image';

// The app dies mid-run (SIGKILL of the process holding the core); the container keeps training.
// A new core reattaches: it rebuilds the run from metrics.jsonl, follows it from where the file
// ends, and no metric line is lost.
const ROOT = path.resolve(__dirname, '../..');
let docker: Dockerode;
let image: string;
let suite: { dir: string; cleanup: () => void };
let childScript: string;
const children: ChildProcess[] = [];
const harnesses: RunsHarness[] = [];

beforeAll(async () => {
  docker = await testDocker();
  image = await testTrainerImage(docker);
  suite = tempDir('deit-runs-test-reattach-');
  childScript = await bundleChildCore('runs-test');
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const h of harnesses) await h.close();
  fs.rmSync(childScript, { force: true });
  suite?.cleanup();
});

/**
 * The user the dying core runs as: a plain user in the docker group when we can (as on a desktop).
 * That user must be able to read the bundled child script inside the checkout; a checkout in a
 * private folder (e.g. `mktemp -d`) is not readable by it, and then the test's own user is used.
 */
function coreUser(script: string): { uid: number; gid: number } {
  const self = { uid: process.getuid!(), gid: process.getgid!() };
  const docker = fs
    .readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('docker:'));
  if (self.uid !== 0 || !docker) return self;
  const plain = { uid: 1000, gid: Number(docker.split(':')[2]) };
  const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(script)}, 4)`], {
    ...plain,
    stdio: 'ignore',
  });
  if (probe.status === 0) return plain;
  console.warn(`[reattach] uid ${plain.uid} cannot read ${script} (private checkout); the core runs as root`);
  return self;
}

describe('reattach after the app died', () => {
  it('follows the live run again with no metric line lost; the run finishes as this user', async () => {
    const user = coreUser(childScript);
    const dataDir = path.join(suite.dir, 'data');
    const seed = await seedDatasetAndWeights(docker, image, path.join(suite.dir, 'seed'), {
      model: 'deit_tiny_patch16_224',
      classes: 2,
      perClass: 16,
    });
    const datasetHash = folderHash(seed.dataset);
    fs.chmodSync(suite.dir, 0o755); // mkdtemp makes it private; the core's user must reach the dataset
    fs.mkdirSync(dataDir, { recursive: true });
    fs.cpSync(seed.weights, path.join(dataDir, 'weights'), { recursive: true, verbatimSymlinks: true });
    chownTree(dataDir, user.uid, user.gid);

    const child = spawn(
      process.execPath,
      [childScript, JSON.stringify({ dataDir, image, settings: tinyCpuSettings(seed.dataset, { epochs: 3 }) })],
      { cwd: ROOT, uid: user.uid, gid: user.gid, stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
    );
    children.push(child);
    const seen: Array<{ kind: string; id?: string; index?: number; type?: string; uid?: number; message?: string }> =
      [];
    readline.createInterface({ input: child.stdout! }).on('line', (line) => seen.push(JSON.parse(line)));
    const created = await waitFor(
      () => {
        if (child.exitCode !== null)
          throw new Error(`the child core exited (code ${child.exitCode}) before creating the run`);
        return seen.find((m) => m.kind === 'created' || m.kind === 'error');
      },
      60_000,
      'created',
    );
    expect(created.message).toBeUndefined(); // the child core's error, if it failed
    expect(created.kind).toBe('created');
    expect(created.uid).toBe(user.uid);
    const id = created.id!;
    await waitFor(() => seen.find((m) => m.kind === 'event' && m.type === 'step'), 180_000, 'the first step');

    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const beforeDeath = seen.filter((m) => m.kind === 'event').map((m) => m.index!);

    // The training goes on without the app.
    const h = new RunsHarness(docker, dataDir, image);
    harnesses.push(h);
    const [info] = await h.containers(id);
    expect(info?.State).toBe('running');
    const inspected = await docker.getContainer(info!.Id).inspect();
    expect(inspected.Config.User).toBe(`${user.uid}:${user.gid}`);
    expect(inspected.HostConfig.NetworkMode).toBe('none');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // lines written while no app is alive

    await h.service.start();
    const done = await h.waitStatus(id, ['finished', 'failed', 'stopped'], 240_000);
    expect(done.failure).toBeNull();
    expect(done).toMatchObject({ status: 'finished', epochsDone: 3 });

    const lines = metricsLines(path.join(dataDir, 'runs', id));
    const afterRestart = (h.events.get(id) ?? []).map((e) => e.index);
    expect(afterRestart.length).toBeGreaterThan(0);
    // The new core streams each line after what it rebuilt from the file, once, in order, to the end...
    const first = afterRestart[0]!;
    expect(afterRestart).toEqual(lines.slice(first).map((_, i) => first + i));
    // ...and what it rebuilt covers everything before: the first core's lines plus those of the gap.
    expect(Math.max(...beforeDeath)).toBeLessThan(first);
    const detail = await h.service.list();
    expect(detail.find((r) => r.id === id)).toMatchObject({ status: 'finished' });
    expect(fs.statSync(path.join(dataDir, 'runs', id, 'output', 'metrics.jsonl')).uid).toBe(user.uid);
    expect(await h.containers(id)).toEqual([]);
    expect(folderHash(seed.dataset)).toBe(datasetHash);
  });
});

function chownTree(root: string, uid: number, gid: number): void {
  fs.chownSync(root, uid, gid);
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    fs.lchownSync(path.join(entry.parentPath, entry.name), uid, gid);
  }
}
