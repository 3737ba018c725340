import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** One place a Docker Engine may listen, in the order we try them. */
export interface DockerEndpoint {
  /** Where the candidate came from; decides the wording of fixes (Desktop vs. Engine vs. rootless). */
  source: 'env' | 'context' | 'system' | 'rootless' | 'desktop';
  /** For messages: "DOCKER_HOST", "Docker context desktop-linux", "/var/run/docker.sock". */
  label: string;
  /** unix:///path, npipe:////./pipe/name, tcp://host:port or ssh://user@host. */
  host: string;
  /** Folder with ca.pem, cert.pem, key.pem for a TLS tcp:// endpoint. */
  tlsDir?: string;
}

/** What endpoint discovery reads; everything injectable so tests use temp dirs. */
export interface EndpointSearch {
  env?: NodeJS.ProcessEnv;
  homedir?: string;
  platform?: NodeJS.Platform;
  uid?: number;
}

/** The Docker CLI's current context, read from its config folder; null for "default" or none. */
export async function readCurrentContext(
  configDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ name: string; host: string; tlsDir?: string } | null> {
  let name = env.DOCKER_CONTEXT;
  if (!name) {
    try {
      const config = JSON.parse(await fs.readFile(path.join(configDir, 'config.json'), 'utf8')) as {
        currentContext?: unknown;
      };
      if (typeof config.currentContext === 'string') name = config.currentContext;
    } catch {
      return null; // no CLI config: the CLI itself would use the default too
    }
  }
  if (!name || name === 'default') return null;
  const id = createHash('sha256').update(name).digest('hex');
  try {
    const meta = JSON.parse(await fs.readFile(path.join(configDir, 'contexts', 'meta', id, 'meta.json'), 'utf8')) as {
      Endpoints?: { docker?: { Host?: unknown } };
    };
    const host = meta.Endpoints?.docker?.Host;
    if (typeof host !== 'string' || !host) return null;
    const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
    const hasTls = await fs.access(path.join(tlsDir, 'ca.pem')).then(
      () => true,
      () => false,
    );
    return hasTls ? { name, host, tlsDir } : { name, host };
  } catch {
    return null; // a context named in config.json but not on disk: the CLI would fail too
  }
}

/** Every candidate endpoint, most specific first: DOCKER_HOST, the CLI context, then the usual sockets. */
export async function dockerEndpoints(search: EndpointSearch = {}): Promise<DockerEndpoint[]> {
  const env = search.env ?? process.env;
  const home = search.homedir ?? os.homedir();
  const platform = search.platform ?? process.platform;
  const candidates: DockerEndpoint[] = [];
  if (env.DOCKER_HOST) {
    const tlsDir = env.DOCKER_TLS_VERIFY === '1' || env.DOCKER_CERT_PATH ? (env.DOCKER_CERT_PATH ?? path.join(home, '.docker')) : undefined;
    candidates.push({ source: 'env', label: 'DOCKER_HOST', host: env.DOCKER_HOST, ...(tlsDir ? { tlsDir } : {}) });
  }
  const context = await readCurrentContext(env.DOCKER_CONFIG ?? path.join(home, '.docker'), env);
  if (context) {
    const source = /\.docker[\\/](desktop|run)[\\/]docker\.sock$/.test(context.host) ? 'desktop' : 'context';
    candidates.push({
      source,
      label: `Docker context "${context.name}"`,
      host: context.host,
      ...(context.tlsDir ? { tlsDir: context.tlsDir } : {}),
    });
  }
  if (platform === 'win32') {
    candidates.push({ source: 'desktop', label: 'Docker Desktop', host: 'npipe:////./pipe/docker_engine' });
    candidates.push({ source: 'desktop', label: 'Docker Desktop', host: 'npipe:////./pipe/dockerDesktopLinuxEngine' });
  } else if (platform === 'darwin') {
    candidates.push({ source: 'desktop', label: 'Docker Desktop', host: `unix://${path.join(home, '.docker/run/docker.sock')}` });
    candidates.push({ source: 'system', label: '/var/run/docker.sock', host: 'unix:///var/run/docker.sock' });
  } else {
    candidates.push({ source: 'system', label: '/var/run/docker.sock', host: 'unix:///var/run/docker.sock' });
    const uid = search.uid ?? process.getuid?.();
    const runtimeDir = env.XDG_RUNTIME_DIR ?? (uid !== undefined && uid !== 0 ? `/run/user/${uid}` : undefined);
    if (runtimeDir) {
      candidates.push({ source: 'rootless', label: 'rootless Docker', host: `unix://${path.join(runtimeDir, 'docker.sock')}` });
    }
    candidates.push({
      source: 'desktop',
      label: 'Docker Desktop',
      host: `unix://${path.join(home, '.docker/desktop/docker.sock')}`,
    });
  }
  const seen = new Set<string>();
  return candidates.filter((c) => (seen.has(c.host) ? false : (seen.add(c.host), true)));
}
