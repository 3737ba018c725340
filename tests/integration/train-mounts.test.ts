import type Dockerode from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainContainerSpec } from '../../electron/core/docker/container-spec';
import { runToolContainer } from '../../electron/core/docker/tool-container';
import { testDocker } from '../helpers/docker-env';
import { tempDir } from '../helpers/runs-temp';
import { testTrainerImage } from '../helpers/runs-trainer-image';

// What a training container can touch (issue 17), against the real Docker Engine and the real trainer
// image: the shared weights and cache folders are read-only inside it (one run cannot poison the
// next), its own run folder is writable, and the image does not run as root when no user is given.
let docker: Dockerode;
let image: string;
let suite: { dir: string; cleanup: () => void };
const user = { uid: process.getuid?.() ?? 1000, gid: process.getgid?.() ?? 1000 };

beforeAll(async () => {
  docker = await testDocker();
  image = await testTrainerImage(docker);
  suite = tempDir('deit-runs-test-mounts-');
});

afterAll(() => suite?.cleanup());

/** Runs `script` with sh in a container made from `spec` (its Cmd replaced); its exit code and output. */
async function run(spec: Dockerode.ContainerCreateOptions, script: string) {
  const lines: string[] = [];
  const result = await runToolContainer(
    docker,
    { ...spec, Cmd: ['sh', '-c', script] },
    (more) => lines.push(...more),
    () => undefined,
  );
  return { exitCode: result.exitCode, lines };
}

function folder(name: string): string {
  const dir = path.join(suite.dir, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

describe('the training container', () => {
  it('cannot create or change a file under /weights or /cache, and can write its run folder and compile cache', async () => {
    const weights = folder('weights');
    fs.mkdirSync(path.join(weights, 'hub'), { recursive: true });
    fs.writeFileSync(path.join(weights, 'hub', 'model.safetensors'), 'weights');
    const cache = folder('cache');
    const runDir = folder('run');
    const config = path.join(folder('config'), 'config.json');
    fs.writeFileSync(config, '{}');
    // The config file's own read-only mount where this version has one (a variable: no excess-property check).
    const compileCache = folder('compile-cache');
    const mounts = { dataset: folder('data'), run: runDir, config, weights, cache, init: null, compileCache };
    const spec = trainContainerSpec({
      runId: 'mounts',
      attempt: 1,
      image,
      settings: { device: 'cpu', gpuIds: [] },
      mounts,
      user,
      totalMemoryBytes: 4 * 1024 ** 3,
      resume: false,
      dataDir: suite.dir,
      namePrefix: `deit-test-mounts-${process.pid}`,
    });
    const { exitCode, lines } = await run(
      spec,
      [
        'touch /weights/planted && echo weights-new=written || echo weights-new=refused',
        'echo x >> /weights/hub/model.safetensors && echo weights-old=written || echo weights-old=refused',
        'mkdir -p /cache/compile && echo cache=written || echo cache=refused',
        'touch /run/ok && echo run=written',
        'mkdir -p /compile-cache/m && echo compile=written || echo compile=refused',
      ].join('; '),
    );
    expect(exitCode).toBe(0);
    expect(lines).toEqual(
      expect.arrayContaining([
        'weights-new=refused',
        'weights-old=refused',
        'cache=refused',
        'run=written',
        'compile=written', // the dataset's compile cache (runs/place/compile-cache.ts)
      ]),
    );
    expect(fs.readdirSync(weights)).toEqual(['hub']);
    expect(fs.readFileSync(path.join(weights, 'hub', 'model.safetensors'), 'utf8')).toBe('weights');
    expect(fs.readdirSync(cache)).toEqual([]);
    expect(fs.existsSync(path.join(runDir, 'ok'))).toBe(true);
  });

  it('runs as uid 1000, not root, when Docker is given no user; HOME stays writable for any uid', async () => {
    const spec = { Image: image, name: `deit-test-user-${process.pid}`, HostConfig: { NetworkMode: 'none' } };
    const plain = await run(spec, 'echo uid=$(id -u) gid=$(id -g); touch "$HOME/x" && echo home=ok');
    expect(plain.lines).toEqual(expect.arrayContaining(['uid=1000 gid=1000', 'home=ok']));
    const other = await run(
      { ...spec, name: `deit-test-user2-${process.pid}`, User: '4321:4321' },
      'echo uid=$(id -u); touch "$HOME/x" && echo home=ok',
    );
    expect(other.lines).toEqual(expect.arrayContaining(['uid=4321', 'home=ok']));
  });
});
