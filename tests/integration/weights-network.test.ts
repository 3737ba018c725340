import type Dockerode from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../electron/contract';
import { buildImage } from '../../electron/core/images/build-image';
import { CONTAINER_CA_FILE, buildProxyArgs, containerNetwork } from '../../electron/core/network/container-network';
import { writeNetworkSettings } from '../../electron/core/network/network-settings';
import { importWeights } from '../../electron/core/weights/import-weights';
import { testDocker, TWIN_IMAGE } from '../helpers/docker-env';
import { RunsHarness, tinyCpuSettings } from '../helpers/runs-harness';
import { seedDatasetAndWeights } from '../helpers/runs-seed';
import { tempDir } from '../helpers/runs-temp';
import { testTrainerImage } from '../helpers/runs-trainer-image';

// Weights from anywhere, against the real Docker Engine and the real trainer image (CPU twin): the
// proxy, mirror and certificate settings reach the weights download container and the image build;
// an imported weights file is checked in a locked-down container and trains offline; training from
// scratch asks for no weights at all.
let docker: Dockerode;
let image: string;
let seed: { dataset: string; weights: string };
let files: string;
let suite: { dir: string; cleanup: () => void };
const harnesses: RunsHarness[] = [];
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBtestcertificate\n-----END CERTIFICATE-----';

beforeAll(async () => {
  docker = await testDocker();
  image = await testTrainerImage(docker);
  suite = tempDir('deit-runs-test-weights-');
  seed = await seedDatasetAndWeights(docker, image, path.join(suite.dir, 'seed'), {
    model: 'deit_tiny_patch16_224',
    classes: 2,
    perClass: 16,
  });
  files = path.join(suite.dir, 'downloads');
  await makeWeightsFiles(files);
});

afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
});

afterAll(() => suite?.cleanup());

/** Real-layout weights files of DeiT-Ti and DeiT-S (what a user downloads elsewhere), made in the image. */
async function makeWeightsFiles(out: string): Promise<void> {
  fs.mkdirSync(out, { recursive: true });
  const script = [
    'import timm',
    'from safetensors.torch import save_file',
    'for name in ("deit_tiny_patch16_224", "deit_small_patch16_224"):',
    '    sd = timm.create_model(name).state_dict()',
    '    save_file({k: v.contiguous() for k, v in sd.items()}, f"/out/{name}.safetensors")',
  ].join('\n');
  const container = await docker.createContainer({
    Image: image,
    name: `deit-runs-test-weightsfiles-${process.pid}-${Date.now()}`,
    Cmd: ['python', '-c', script],
    User: `${process.getuid!()}:${process.getgid!()}`,
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'bind', Source: out, Target: '/out', ReadOnly: false }] },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode !== 0) throw new Error(`making the weights files failed (exit ${StatusCode})`);
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** The real engine, with every created container inspected right after creation (before it starts). */
function inspectingDocker(created: Dockerode.ContainerInspectInfo[]): Dockerode {
  return new Proxy(docker, {
    get(target, prop) {
      if (prop === 'createContainer') {
        return async (options: Dockerode.ContainerCreateOptions) => {
          const container = await target.createContainer(options);
          created.push(await container.inspect());
          return container;
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function harness(created: Dockerode.ContainerInspectInfo[], seedHub: boolean): RunsHarness {
  const dataDir = fs.mkdtempSync(path.join(suite.dir, 'data-'));
  const h = new RunsHarness(inspectingDocker(created), dataDir, image, {
    // The app's own resolution (settings file, then environment), with this test's environment and certificate.
    network: () =>
      containerNetwork({ dataDir, env: { HTTPS_PROXY: 'http://proxy.invalid:3128' }, extraCaPem: async () => PEM }),
  });
  if (seedHub) h.seedWeights(seed.weights);
  harnesses.push(h);
  return h;
}

const role = (info: Dockerode.ContainerInspectInfo) => info.Config.Labels['deit-studio.role'];

describe('proxy, mirror and certificates', () => {
  it('reach the weights download container (env and a read-only certificate file) and its message', async () => {
    const created: Dockerode.ContainerInspectInfo[] = [];
    const h = harness(created, false);
    await writeNetworkSettings(h.paths.dataDir, {
      httpsProxy: null, // from the environment
      httpProxy: 'http://user:secret@proxy.invalid:8080',
      noProxy: 'localhost,.corp.invalid',
      hfEndpoint: 'https://mirror.invalid',
    });
    const { id } = await h.service.create(tinyCpuSettings(seed.dataset));
    const failed = await h.waitStatus(id, ['failed', 'running', 'finished'], 180_000);

    const fetch = created.find((c) => role(c) === 'fetch-weights');
    expect(fetch).toBeDefined();
    expect(fetch!.Config.Env).toEqual(
      expect.arrayContaining([
        'HTTPS_PROXY=http://proxy.invalid:3128',
        'https_proxy=http://proxy.invalid:3128',
        'HTTP_PROXY=http://user:secret@proxy.invalid:8080',
        'http_proxy=http://user:secret@proxy.invalid:8080',
        'NO_PROXY=localhost,.corp.invalid',
        'no_proxy=localhost,.corp.invalid',
        'HF_ENDPOINT=https://mirror.invalid',
        `DEIT_EXTRA_CA_FILE=${CONTAINER_CA_FILE}`,
      ]),
    );
    const caFile = path.join(h.paths.dataDir, 'network', 'extra-ca.pem');
    expect(fetch!.Mounts).toContainEqual(
      expect.objectContaining({ Type: 'bind', Source: caFile, Destination: CONTAINER_CA_FILE, RW: false }),
    );
    expect(fs.readFileSync(caFile, 'utf8')).toBe(`${PEM}\n`);

    // The trainer inside read them (the certificate file too): its message names what it went through.
    expect(failed.status).toBe('failed');
    expect(failed.failure?.cause).toBe('weights_missing');
    expect(failed.failure?.message).toContain(
      'through extra certificates, proxy http://proxy.invalid:3128, mirror https://mirror.invalid',
    );
    expect(failed.failure?.fix).toMatch(/proxy or a Hugging Face mirror.*Import weights….*train from scratch/);
    // The training container never gets them: it has no network at all.
    expect(created.filter((c) => role(c) === 'train')).toEqual([]);
  });

  it('reach the image build as Docker’s predefined proxy arguments, kept out of the image history', async () => {
    const context = path.join(suite.dir, 'build-context');
    fs.mkdirSync(context, { recursive: true });
    fs.writeFileSync(
      path.join(context, 'Dockerfile'),
      `FROM ${TWIN_IMAGE}\nRUN printf '%s|%s|%s' "$HTTPS_PROXY" "$http_proxy" "$NO_PROXY" > /proxies.txt\n`,
    );
    const dataDir = path.join(suite.dir, 'build-data');
    await writeNetworkSettings(dataDir, {
      httpsProxy: 'http://proxy.invalid:3128',
      httpProxy: null,
      noProxy: '',
      hfEndpoint: null,
    });
    const args = await buildProxyArgs({
      dataDir,
      env: { HTTP_PROXY: 'http://env-proxy.invalid:80', NO_PROXY: 'ignored.invalid' },
    });
    const tag = `deit-runs-test/proxy-build:${process.pid}`;
    await buildImage(docker, {
      contextDir: context,
      files: ['Dockerfile'],
      tag,
      buildArgs: args,
      labels: {},
      networkMode: 'none',
      signal: new AbortController().signal,
      onEvent: () => undefined,
    });
    try {
      const container = await docker.createContainer({ Image: tag, Cmd: ['cat', '/proxies.txt'] });
      await container.start();
      await container.wait();
      const out = ((await container.logs({ stdout: true, follow: false })) as unknown as Buffer).toString('utf8');
      await container.remove({ force: true });
      // Settings win over the environment; an empty setting means none even though the environment has one.
      expect(out).toContain('http://proxy.invalid:3128|http://env-proxy.invalid:80|');
      const history = await docker.getImage(tag).history();
      expect(JSON.stringify(history)).not.toContain('proxy.invalid');
    } finally {
      await docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });
});

describe('Import weights… and training from scratch', () => {
  it('checks the file in a locked-down container, refuses another model’s in plain words, and trains offline', async () => {
    const created: Dockerode.ContainerInspectInfo[] = [];
    const h = harness(created, false); // no hub cache at all
    const small = path.join(files, 'deit_small_patch16_224.safetensors');
    const refused = await importWeights(h.service.env, 'deit_tiny_patch16_224', small).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).kind).toBe('validation');
    expect((refused as AppError).message).toContain(
      'does not fit deit_tiny_patch16_224: 150 weights have another shape (for example cls_token is 1×1×384 in the file but 1×1×192 in this model)',
    );
    expect((refused as AppError).fix).toContain('It fits deit_small_patch16_224');

    const tiny = path.join(files, 'deit_tiny_patch16_224.safetensors');
    const before = fs.readFileSync(tiny);
    const imported = await importWeights(h.service.env, 'deit_tiny_patch16_224', tiny);
    expect(imported).toMatchObject({ file: 'deit_tiny_patch16_224.safetensors', format: 'safetensors' });
    expect(imported.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readFileSync(tiny).equals(before)).toBe(true); // the user's file is never written

    const check = created.filter((c) => role(c) === 'import-weights').at(-1)!;
    expect(check.HostConfig.NetworkMode).toBe('none');
    expect(check.HostConfig.CapDrop).toEqual(['ALL']);
    expect(check.Config.User).toBe(`${process.getuid!()}:${process.getgid!()}`);
    expect(check.Mounts).toContainEqual(
      expect.objectContaining({ Source: tiny, Destination: '/in/weights.safetensors', RW: false }),
    );

    const { id } = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 1 }));
    const done = await h.waitStatus(id, ['finished', 'failed'], 240_000);
    expect(done.failure).toBeNull();
    expect(done.status).toBe('finished');
    expect(created.some((c) => role(c) === 'fetch-weights')).toBe(false); // imported weights need no download
    const report = fs.readFileSync(path.join(h.paths.runsDir, id, 'output', 'report.md'), 'utf8');
    expect(report).toContain(`imported file \`deit_tiny_patch16_224.safetensors\` (sha256 \`${imported.sha256}\`)`);
  });

  it('from scratch skips the weights download and trains with DeiT’s recipe', async () => {
    const created: Dockerode.ContainerInspectInfo[] = [];
    const h = harness(created, false);
    const { id } = await h.service.create(tinyCpuSettings(seed.dataset, { epochs: 1, pretrained: false }));
    const done = await h.waitStatus(id, ['finished', 'failed'], 240_000);
    expect(done.failure).toBeNull();
    expect(created.map(role)).toEqual(['train']);
    const config = JSON.parse(fs.readFileSync(path.join(h.paths.runsDir, id, 'config.json'), 'utf8')) as {
      model: { pretrained: boolean };
    };
    expect(config.model.pretrained).toBe(false);
    const report = fs.readFileSync(path.join(h.paths.runsDir, id, 'output', 'report.md'), 'utf8');
    expect(report).toContain('Starting weights: none: random initialisation (trained from scratch)');
  });
});
