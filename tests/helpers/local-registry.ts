import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';

const REGISTRY_BIN = '/usr/bin/docker-registry';
const HOW_TO =
  "Install Debian's registry server: `apt-get install -y docker-registry` (scripts/test-env.sh does it as root).";

/** A private registry on 127.0.0.1 (the engine treats 127.0.0.0/8 as insecure, so plain HTTP works). */
export interface LocalRegistry {
  /** host:port, the prefix of image names pushed here. */
  host: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForRegistry(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${log()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry did not answer at ${url} within 15 s: ${log()}`);
}

/** Starts Debian's docker-registry (distribution 2.8) with storage in a temp folder and no auth. */
export async function startLocalRegistry(): Promise<LocalRegistry> {
  await fs.access(REGISTRY_BIN).catch((error: unknown) => {
    throw new Error(`${REGISTRY_BIN} is missing. ${HOW_TO}`, { cause: error });
  });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-env-test-registry-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  await fs.writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${dir}/data`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  await waitForRegistry(`http://127.0.0.1:${port}/v2/`, child, () => output);
  return {
    host: `127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

async function follow(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<void> {
  const events = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) =>
      err ? reject(err) : resolve(out),
    ),
  );
  const failed = events.find((e) => e.error);
  if (failed) throw new Error(failed.error);
}

/**
 * Builds an image FROM scratch with one layer per size (random, so gzip cannot shrink it), pushes it
 * to the registry and removes the local copy, so that pulling it shows real per-layer progress.
 */
export async function pushLayeredImage(
  docker: Dockerode,
  registry: LocalRegistry,
  name: string,
  layerBytes: number[],
): Promise<string> {
  const tag = `${registry.host}/${name}`;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-env-test-layers-'));
  try {
    const files = layerBytes.map((_, i) => `layer${i}.bin`);
    await Promise.all(layerBytes.map((bytes, i) => fs.writeFile(path.join(dir, `layer${i}.bin`), randomBytes(bytes))));
    await fs.writeFile(
      path.join(dir, 'Dockerfile'),
      ['FROM scratch', ...files.map((f) => `COPY ${f} /${f}`), ''].join('\n'),
    );
    await follow(
      docker,
      await docker.buildImage(
        { context: dir, src: ['Dockerfile', ...files] },
        { t: tag, labels: { 'deit-env-test': 'layers' } },
      ),
    );
    await follow(
      docker,
      (await docker
        .getImage(tag)
        .push({ authconfig: { serveraddress: registry.host } } as never)) as unknown as NodeJS.ReadableStream,
    );
    await docker.getImage(tag).remove({ force: true });
    return tag;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Removes images whose repository starts with a prefix (test leftovers); never touches others. */
export async function removeImages(docker: Dockerode, prefix: string): Promise<void> {
  const images = await docker.listImages();
  for (const image of images) {
    for (const tag of image.RepoTags ?? []) {
      if (tag.startsWith(prefix))
        await docker
          .getImage(tag)
          .remove({ force: true })
          .catch(() => undefined);
    }
  }
}
