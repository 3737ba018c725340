import { SettingsFile } from '../app/app-settings';
import type { CoreContext } from '../context';
import { DockerConnectError, findDocker, inspectEngine, type ConnectedDocker } from '../docker/connect';
import { hostPlatform } from '../docker/fix-context';
import { probeGpuContainer } from '../docker/gpu-probe';
import { readExtraCaPem } from '../images/extra-ca-certificates';
import { ImageService } from '../images/image-service';
import { buildProxyArgs } from '../network/container-network';
import { GpuTelemetry } from '../telemetry/gpu-telemetry';
import { EnvironmentDoctor } from './environment-doctor';
import { NvidiaSmi } from './nvidia-smi';

/** The engine's long-lived services, created once by createCore and shared by the handlers. */
export interface EngineServices {
  images: ImageService;
  doctor: EnvironmentDoctor;
  telemetry: GpuTelemetry;
  smi: NvidiaSmi;
}

/** The engine the core talks to, as the doctor sees it: the shell's client if it passed one, else discovery. */
async function connected(ctx: CoreContext): Promise<ConnectedDocker> {
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

/** Builds the doctor, the image service and GPU telemetry on the core's context. */
export function createEngineServices(ctx: CoreContext): EngineServices {
  const smi = new NvidiaSmi();
  const images = new ImageService({
    docker: () => ctx.docker(),
    bus: ctx.bus,
    trainerDir: ctx.options.trainerDir,
    extraCaPem: () => readExtraCaPem(),
    proxyBuildArgs: () => buildProxyArgs({ dataDir: ctx.paths.dataDir }),
    ...(ctx.options.baseImage ? { baseImage: ctx.options.baseImage } : {}),
    settings: new SettingsFile(ctx.paths.dataDir),
  });
  const doctor = new EnvironmentDoctor({
    host: hostPlatform,
    smi,
    findDocker: () => connected(ctx),
    probe: ({ docker }) => probeGpuContainer({ docker }),
    imageDiskNeed: () => images.diskNeed(),
    dataDir: ctx.paths.dataDir,
    now: () => ctx.now(),
  });
  const telemetry = new GpuTelemetry({ bus: ctx.bus, smi });
  return { images, doctor, telemetry, smi };
}
