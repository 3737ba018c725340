import fs from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import type { DockerEndpoint } from './docker-endpoints';

/**
 * docker-modem fills unset options from DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_CLIENT_TIMEOUT;
 * a global timeout kills long pull and log streams, so every option is set explicitly here.
 */
const NEUTRAL: Dockerode.DockerOptions = {
  socketPath: undefined,
  host: undefined,
  port: undefined,
  protocol: undefined,
  timeout: undefined,
  ca: undefined,
  cert: undefined,
  key: undefined,
};

/** A dockerode client for one endpoint (unix socket, Windows named pipe, tcp with optional TLS, ssh). */
export function dockerClient(endpoint: DockerEndpoint): Dockerode {
  const { host } = endpoint;
  if (host.startsWith('unix://')) return new Dockerode({ ...NEUTRAL, socketPath: host.slice('unix://'.length) });
  if (host.startsWith('npipe://')) return new Dockerode({ ...NEUTRAL, socketPath: host.slice('npipe://'.length) });
  const url = new URL(host.includes('://') ? host : `tcp://${host}`);
  if (url.protocol === 'ssh:') {
    return new Dockerode({ ...NEUTRAL, protocol: 'ssh', host: url.hostname, port: url.port || 22, username: url.username });
  }
  const tls = endpoint.tlsDir;
  return new Dockerode({
    ...NEUTRAL,
    host: url.hostname,
    port: url.port || (tls ? 2376 : 2375),
    protocol: tls ? 'https' : 'http',
    ...(tls
      ? {
          ca: fs.readFileSync(path.join(tls, 'ca.pem')),
          cert: fs.readFileSync(path.join(tls, 'cert.pem')),
          key: fs.readFileSync(path.join(tls, 'key.pem')),
        }
      : {}),
  });
}
