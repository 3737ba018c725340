import type Dockerode from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDocker } from '../helpers/docker-env';
import { RunsHarness, tinyCpuSettings } from '../helpers/runs-harness';
import { writeRunFolder } from '../helpers/runs-folders';
import { seedDatasetAndWeights } from '../helpers/runs-seed';
import { tempDir } from '../helpers/runs-temp';
import { testTrainerImage } from '../helpers/runs-trainer-image';

// What a training container can reach of its run folder, against the real Docker Engine and trainer
// image: code running in it (a crafted image exploiting a decoder bug) writes only output/; the
// app's records stay out of its reach, and a link it planted never becomes a later container's mount.
let docker: Dockerode;
let image: string;
let seed: { dataset: string; weights: string };
let suite: { dir: string; cleanup: () => void };
const harnesses: RunsHarness[] = [];

beforeAll(async () => {
  docker = await testDocker();
  image = await testTrainerImage(docker);
  suite = tempDir('deit-runs-test-sandbox-');
  seed = await seedDatasetAndWeights(docker, image, path.join(suite.dir, 'seed'), {
    model: 'deit_tiny_patch16_224',
    classes: 2,
    perClass: 16,
  });
});

afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
});

afterAll(() => suite?.cleanup());

function harness(): RunsHarness {
  const h = new RunsHarness(docker, fs.mkdtempSync(path.join(suite.dir, 'data-')), image);
  h.seedWeights(seed.weights);
  harnesses.push(h);
  return h;
}

/** Runs a command inside a running container (as its user) and returns its exit code and output. */
async function exec(container: Dockerode.Container, cmd: string[]): Promise<{ code: number; output: string }> {
  const run = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await run.start({ hijack: true, stdin: false });
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise((resolve) => stream.on('end', resolve));
  const { ExitCode } = await run.inspect();
  return { code: ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
}

// Tries to change the app's files from inside: through /run, its parent (the container's own root
// file system, whatever it allows), and the config mount.
const TAMPER = `
import json
tried = {}
for target in ["/run/state.json", "/run/run.json", "/run/../state.json", "/config/config.json"]:
    try:
        with open(target, "w") as f:
            f.write("tampered")
        tried[target] = "written"
    except OSError as e:
        tried[target] = e.strerror
print(json.dumps(tried))
`;

describe('a training container and its run folder', () => {
  it('cannot write the run folder’s state.json, run.json or config.json', async () => {
    const h = harness();
    const { id } = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 50 }));
    await h.waitEvent(id, (e) => e.type === 'step', 180_000);
    const [info] = await h.containers(id);
    const runDir = path.join(h.paths.runsDir, id);
    const before = {
      record: fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'),
      config: fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'),
    };
    const { code, output } = await exec(docker.getContainer(info!.Id), ['python', '-c', TAMPER]);
    expect(code, output).toBe(0);
    const tried = JSON.parse(output.trim().split('\n').pop()!) as Record<string, string>;
    expect(tried['/config/config.json']).toMatch(/read-only/i);
    // What it could write landed in output/, not in the app's records.
    expect(fs.readFileSync(path.join(runDir, 'output', 'state.json'), 'utf8')).toBe('tampered');
    expect(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')).toBe(before.record);
    expect(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8')).toBe(before.config);
    expect(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8')).not.toContain('tampered');

    await h.service.stop(id);
    const stopped = await h.waitStatus(id, ['stopped', 'failed', 'finished'], 120_000);
    expect(stopped.status).toBe('stopped');
    expect(JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8'))).toMatchObject({ status: 'stopped' });
  });

  it('checks run.json’s dataset path again on resume (a container of an older run could have changed it)', async () => {
    const h = harness();
    const id = '20261127-2100-deit-tiny-cd34';
    writeRunFolder(h.paths.runsDir, id, {
      settings: { ...tinyCpuSettings(seed.dataset), datasetPath: '/etc' },
      state: { status: 'stopped', resumable: true },
    });
    await h.service.resume(id);
    const failed = await h.waitStatus(id, ['failed', 'running', 'finished'], 120_000);
    expect(failed.status).toBe('failed');
    expect(failed.failure!.message).toContain('/etc is the whole disk or a system folder');
    expect(await h.containers(id)).toEqual([]);
  });

  it('refuses an earlier run’s checkpoints/ that a container replaced by a link, before any container starts', async () => {
    const h = harness();
    const earlier = '20261127-2200-deit-tiny-ab12';
    const earlierDir = writeRunFolder(h.paths.runsDir, earlier, {
      settings: tinyCpuSettings(seed.dataset),
      state: { status: 'finished' },
    });
    const elsewhere = path.join(suite.dir, 'elsewhere');
    fs.mkdirSync(elsewhere, { recursive: true });
    fs.writeFileSync(path.join(elsewhere, 'best.pt'), 'not a checkpoint');
    fs.mkdirSync(path.join(earlierDir, 'output'));
    fs.symlinkSync(elsewhere, path.join(earlierDir, 'output', 'checkpoints'));

    const { id } = await h.service.create(tinyCpuSettings(seed.dataset, { initFromRunId: earlier }));
    const failed = await h.waitStatus(id, ['failed', 'running', 'finished'], 120_000);
    expect(failed.status).toBe('failed');
    expect(failed.failure!.message).toContain(path.join(earlierDir, 'output', 'checkpoints'));
    expect(failed.failure!.message).toContain('it is a link');
    expect(await h.containers(id)).toEqual([]);
  });
});
