import type Dockerode from 'dockerode';
import { AppError } from '../../contract';
import { compareVersions } from '../environment/compare-versions';
import { readHostPlatform, type HostPlatform } from '../environment/host-platform';
import { classifyDockerError, type ClassifiedDockerError, type DockerProblem } from './classify-docker-error';
import { dockerClient } from './docker-client';
import { dockerEndpoints, type DockerEndpoint, type EndpointSearch } from './docker-endpoints';
import { describeDockerProblem, fixLine, type DockerFlavor, type FixContext } from './docker-problem-fixes';

/** No Docker Engine answered: the typed error, plus the problem and context the doctor shows as a structured fix. */
export class DockerConnectError extends AppError {
  constructor(
    readonly problem: DockerProblem,
    readonly fixContext: FixContext,
    detail: string,
  ) {
    const described = describeDockerProblem(problem, fixContext);
    super(described.kind, described.message, { fix: fixLine(described.fix), detail });
  }
}

/** DeviceRequests (GPUs for containers) arrived with API 1.40, Docker 19.03. */
export const MIN_API_VERSION = '1.40';

/** What the doctor and the image service need to know about the engine we talk to. */
export interface EngineInfo {
  serverVersion: string;
  apiVersion: string;
  operatingSystem: string;
  kernelVersion: string;
  dockerRootDir: string | null;
  memTotalBytes: number | null;
  runtimes: string[];
}

/** A Docker Engine that answered, and how it is installed. */
export interface ConnectedDocker {
  docker: Dockerode;
  endpoint: DockerEndpoint;
  engine: EngineInfo;
  flavor: DockerFlavor;
}

/** Where to look and how long to wait; everything injectable for tests. */
export interface ConnectOptions extends EndpointSearch {
  /** Candidates to try instead of discovering them. */
  endpoints?: DockerEndpoint[];
  host?: HostPlatform;
  /** Per endpoint: an engine that accepts the connection but never answers counts as unresponsive. */
  timeoutMs?: number;
}

// When every endpoint fails, the most telling failure is reported: a socket we may not use says more
// than a socket that does not exist.
const RANK: DockerProblem[] = ['permission_denied', 'engine_too_old', 'daemon_unresponsive', 'daemon_stopped', 'unknown'];

function flavorOf(endpoint: DockerEndpoint, host: HostPlatform, info?: Record<string, unknown>): DockerFlavor {
  const os = typeof info?.OperatingSystem === 'string' ? info.OperatingSystem : '';
  const security = Array.isArray(info?.SecurityOptions) ? (info.SecurityOptions as unknown[]).map(String) : [];
  if (/docker desktop/i.test(os) || endpoint.source === 'desktop') return 'desktop';
  if (security.some((s) => s.includes('name=rootless')) || endpoint.source === 'rootless') return 'rootless';
  if (!info && (host.os === 'darwin' || host.os === 'win32')) return 'desktop';
  return 'engine';
}

function engineInfo(version: Dockerode.DockerVersion, info: Record<string, unknown>): EngineInfo {
  const runtimes = info.Runtimes && typeof info.Runtimes === 'object' ? Object.keys(info.Runtimes) : [];
  return {
    serverVersion: version.Version,
    apiVersion: version.ApiVersion,
    operatingSystem: typeof info.OperatingSystem === 'string' ? info.OperatingSystem : 'unknown',
    kernelVersion: typeof info.KernelVersion === 'string' ? info.KernelVersion : version.KernelVersion,
    dockerRootDir: typeof info.DockerRootDir === 'string' ? info.DockerRootDir : null,
    memTotalBytes: typeof info.MemTotal === 'number' ? info.MemTotal : null,
    runtimes,
  };
}

function isClassified(error: unknown): error is ClassifiedDockerError {
  return typeof error === 'object' && error !== null && 'problem' in error && !(error instanceof Error);
}

/** Pings an engine through an existing client and reads what the doctor needs; throws a ClassifiedDockerError. */
export async function inspectEngine(
  docker: Dockerode,
  endpoint: DockerEndpoint,
  host: HostPlatform,
  timeoutMs = 5000,
): Promise<ConnectedDocker> {
  try {
    // dockerode's ping takes an abort signal; its type declarations lag behind.
    const ping = docker.ping as unknown as (options: { abortSignal: AbortSignal }) => Promise<unknown>;
    await ping.call(docker, { abortSignal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const classified = classifyDockerError(error);
    if (classified.problem === 'cancelled') classified.problem = 'daemon_unresponsive';
    throw classified;
  }
  const [version, info] = await Promise.all([docker.version(), docker.info() as Promise<Record<string, unknown>>]);
  if (compareVersions(version.ApiVersion, MIN_API_VERSION) < 0) {
    const failure: ClassifiedDockerError = {
      problem: 'engine_too_old',
      text: `Docker ${version.Version} speaks API ${version.ApiVersion}; DeiT Studio needs ${MIN_API_VERSION} or newer.`,
    };
    throw failure;
  }
  return { docker, endpoint, engine: engineInfo(version, info), flavor: flavorOf(endpoint, host, info) };
}

/**
 * Finds a Docker Engine that answers: DOCKER_HOST, the Docker CLI's current context, then the usual
 * sockets of Docker Engine, rootless Docker and Docker Desktop. When none answers, throws the
 * typed AppError of the most telling failure, with every endpoint tried in its detail.
 */
export async function findDocker(options: ConnectOptions = {}): Promise<ConnectedDocker> {
  const host = options.host ?? (await readHostPlatform());
  const endpoints = options.endpoints ?? (await dockerEndpoints(options));
  const failures: Array<{ endpoint: DockerEndpoint; failure: ClassifiedDockerError }> = [];
  for (const endpoint of endpoints) {
    try {
      return await inspectEngine(dockerClient(endpoint), endpoint, host, options.timeoutMs ?? 5000);
    } catch (error) {
      const failure = isClassified(error) ? error : classifyDockerError(error);
      failures.push({ endpoint, failure });
    }
  }
  const worst = RANK.map((p) => failures.find((f) => f.failure.problem === p)).find(Boolean) ?? failures[0];
  const tried = failures.map((f) => `${f.endpoint.label} (${f.endpoint.host}): ${f.failure.text}`).join('; ');
  if (!worst) throw new DockerConnectError('daemon_missing', { host, flavor: 'unknown' }, 'no endpoint to try');
  throw new DockerConnectError(worst.failure.problem, { host, flavor: flavorOf(worst.endpoint, host) }, `Tried ${tried}`);
}

/** The Docker Engine client the core uses (`context.docker()`); throws a typed AppError when none answers. */
export async function connectDocker(options: ConnectOptions = {}): Promise<Dockerode> {
  return (await findDocker(options)).docker;
}
