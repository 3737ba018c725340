import type { EngineEntry } from '../../contract';
import { SettingsFile } from '../app/app-settings';
import type { CoreContext } from '../context';
import { DockerConnectError, findDocker, inspectEngine, type ConnectedDocker } from '../docker/connect';
import { hostPlatform } from '../docker/fix-context';
import { probeGpuContainer } from '../docker/gpu-probe';
import { readExtraCaPem } from '../images/extra-ca-certificates';
import { ImageService } from '../images/image-service';
import { buildProxyArgs } from '../network/container-network';
import { GpuTelemetry } from '../telemetry/gpu-telemetry';
import { LOCAL_ENGINE, type EngineRegistry } from '../engines/engine-registry';
import { EnvironmentDoctor } from './environment-doctor';
import { freeDisk } from './system-summary';
import { NvidiaSmi } from './nvidia-smi';

/** The engine's long-lived services, created once by createCore and shared by the handlers. */
export interface EngineServices {
  images: ImageService;
  doctor: EnvironmentDoctor;
  telemetry: GpuTelemetry;
  smi: NvidiaSmi;
}

/** A server's engine reached over SSH; fixes are worded for a Linux server. */
async function connectedRemote(engines: EngineRegistry, entry: EngineEntry): Promise<ConnectedDocker> {
  const client = await engines.docker(entry.id);
  await client.ping(); // SSH and Docker-on-the-server problems surface here as typed AppErrors
  const endpoint = { source: 'env' as const, label: entry.label, host: `ssh://${entry.label}` };
  const server = { os: 'linux' as const, distroId: null, distroLike: [], wsl: false };
  try {
    return await inspectEngine(client, endpoint, server, 15_000);
  } catch (error) {
    const failure = error as { problem?: DockerConnectError['problem']; text?: string };
    throw new DockerConnectError(failure.problem ?? 'unknown', { host: server, flavor: 'engine' }, failure.text ?? '');
  }
}

/** The engine the core talks to, as the doctor sees it: the shell's client if it passed one, else discovery. */
async function connected(ctx: CoreContext, engines?: EngineRegistry): Promise<ConnectedDocker> {
  const entry = engines?.current();
  if (engines && entry && entry.kind === 'ssh') return connectedRemote(engines, entry);
  const client = ctx.options.docker;
  if (!client) return findDocker({ host: await hostPlatform() });
  const socket = (client.modem as { socketPath?: unknown }).socketPath;
  const endpoint = {
    source: 'env' as const,
    label: 'the configured engine',
    host: typeof socket === 'string' ? `unix://${socket}` : 'the configured engine',
  };
  const host = await hostPlatform();
  try {
    return await inspectEngine(client, endpoint, host);
  } catch (error) {
    const failure = error as { problem?: DockerConnectError['problem']; text?: string };
    throw new DockerConnectError(
      failure.problem ?? 'unknown',
      { host, flavor: 'unknown' },
      failure.text ?? String(error),
    );
  }
}

/**
 * Builds the doctor, the image service and GPU telemetry on the core's context. With the engine
 * registry, the doctor and the image service's disk check describe the current engine (a server's too).
 */
export function createEngineServices(ctx: CoreContext, engines?: EngineRegistry): EngineServices {
  const current = () => engines?.current() ?? LOCAL_ENGINE;
  // Free space where the current engine keeps images: df over SSH on a server, statfs here.
  const freeBytes = (dir: string): Promise<number | null> => {
    const entry = current();
    if (engines && entry.kind === 'ssh') return engines.serverFreeBytes(entry.id, dir);
    return freeDisk(dir).then((d) => d.freeBytes);
  };
  const smi = new NvidiaSmi();
  const images = new ImageService({
    docker: () => ctx.docker(),
    bus: ctx.bus,
    trainerDir: ctx.options.trainerDir,
    extraCaPem: () => readExtraCaPem(),
    proxyBuildArgs: () => buildProxyArgs({ dataDir: ctx.paths.dataDir }),
    ...(ctx.options.baseImage ? { baseImage: ctx.options.baseImage } : {}),
    settings: new SettingsFile(ctx.paths.dataDir),
    freeBytes,
  });
  const doctor = new EnvironmentDoctor({
    host: hostPlatform,
    smi,
    findDocker: () => connected(ctx, engines),
    engine: () => {
      const { id, kind, label } = current();
      return { id, kind, label };
    },
    // The doctor says why a server's free space is unknown (the df or SSH failure), not only that it is.
    serverFreeBytes: (dir) => {
      const entry = current();
      return engines && entry.kind === 'ssh' ? engines.serverFreeSpace(entry.id, dir) : freeBytes(dir);
    },
    probe: ({ docker }) => probeGpuContainer({ docker }),
    imageDiskNeed: () => images.diskNeed(),
    dataDir: ctx.paths.dataDir,
    now: () => ctx.now(),
  });
  const telemetry = new GpuTelemetry({ bus: ctx.bus, smi });
  return { images, doctor, telemetry, smi };
}
