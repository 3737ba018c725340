import { AppError, type EnvironmentCheck, type ErrorKind } from '../../contract';
import { packageFamily, type HostPlatform } from '../environment/host-platform';
import type { ClassifiedDockerError, DockerProblem } from './classify-docker-error';

/** What to do, with a command to copy where there is one (the doctor's `fix`). */
export type Fix = NonNullable<EnvironmentCheck['fix']>;

/** How Docker is installed: the fixes differ (systemctl vs. Docker Desktop's settings). */
export type DockerFlavor = 'engine' | 'rootless' | 'desktop' | 'unknown';

/** What the fixes depend on. */
export interface FixContext {
  host: HostPlatform;
  flavor: DockerFlavor;
}

/** A problem in the user's words: the error kind the UI acts on, a message and the fix. */
export interface ProblemDescription {
  kind: ErrorKind;
  message: string;
  fix: Fix;
}

const TOOLKIT_GUIDE = 'https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html';
const CONFIGURE = 'sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker';
const TOOLKIT_INSTALL: Record<string, string> = {
  apt:
    'curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey | sudo gpg --dearmor -o /usr/share/keyrings/nvidia-container-toolkit-keyring.gpg' +
    " && curl -s -L https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list | sed 's#deb https://#deb [signed-by=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg] https://#g' | sudo tee /etc/apt/sources.list.d/nvidia-container-toolkit.list" +
    ` && sudo apt-get update && sudo apt-get install -y nvidia-container-toolkit && ${CONFIGURE}`,
  dnf:
    'curl -s -L https://nvidia.github.io/libnvidia-container/stable/rpm/nvidia-container-toolkit.repo | sudo tee /etc/yum.repos.d/nvidia-container-toolkit.repo' +
    ` && sudo dnf install -y nvidia-container-toolkit && ${CONFIGURE}`,
  zypper:
    'sudo zypper ar https://nvidia.github.io/libnvidia-container/stable/rpm/nvidia-container-toolkit.repo' +
    ` && sudo zypper --gpg-auto-import-keys install -y nvidia-container-toolkit && ${CONFIGURE}`,
  pacman: `sudo pacman -S --needed nvidia-container-toolkit && ${CONFIGURE}`,
};

function isDesktop(ctx: FixContext): boolean {
  return ctx.flavor === 'desktop' || ctx.host.os === 'darwin' || ctx.host.os === 'win32';
}

function startDocker(ctx: FixContext): Fix {
  if (ctx.host.wsl) {
    return {
      text: 'Start Docker Desktop on Windows, then turn on Settings → Resources → WSL integration for this Linux distribution.',
    };
  }
  if (ctx.host.os === 'darwin') {
    return { text: 'Start Docker Desktop and wait until it says "Engine running".', command: 'open -a Docker' };
  }
  if (ctx.host.os === 'win32' || ctx.flavor === 'desktop') {
    return { text: 'Start Docker Desktop from the Start menu (or your applications) and wait until it says "Engine running".' };
  }
  if (ctx.flavor === 'rootless') return { text: 'Start your rootless Docker Engine.', command: 'systemctl --user start docker' };
  return {
    text: 'Start the Docker Engine. If Docker is not installed, install Docker Engine first (https://docs.docker.com/engine/install/).',
    command: 'sudo systemctl enable --now docker',
  };
}

function installToolkit(ctx: FixContext): Fix {
  if (ctx.host.os === 'win32' || ctx.host.wsl) {
    return {
      text: 'Docker Desktop passes NVIDIA GPUs to containers only with its WSL 2 engine: in Docker Desktop, Settings → General, turn on "Use the WSL 2 based engine", restart Docker Desktop, and install the latest NVIDIA driver for Windows.',
    };
  }
  if (ctx.flavor === 'desktop') {
    return {
      text: 'Docker Desktop for Linux cannot give containers a GPU. Install Docker Engine (https://docs.docker.com/engine/install/) and the NVIDIA Container Toolkit, then switch to it.',
      command: 'docker context use default',
    };
  }
  if (ctx.flavor === 'rootless') {
    return {
      text: `Install the NVIDIA Container Toolkit (${TOOLKIT_GUIDE}), then configure it for rootless Docker.`,
      command:
        'nvidia-ctk runtime configure --runtime=docker --config=$HOME/.config/docker/daemon.json && systemctl --user restart docker && sudo nvidia-ctk config --set nvidia-container-cli.no-cgroups --in-place',
    };
  }
  const command = TOOLKIT_INSTALL[packageFamily(ctx.host)];
  if (!command) return { text: `Install the NVIDIA Container Toolkit (${TOOLKIT_GUIDE}), then run:`, command: CONFIGURE };
  return { text: 'Install the NVIDIA Container Toolkit and register it with Docker:', command };
}

function driverUpdate(ctx: FixContext): Fix {
  if (ctx.host.os === 'win32' || ctx.host.wsl) {
    return { text: 'Install the latest NVIDIA driver for Windows (version 551.61 or newer) from https://www.nvidia.com/drivers, then restart.' };
  }
  if (packageFamily(ctx.host) === 'apt' && ctx.host.distroId === 'ubuntu') {
    return { text: 'Install a newer NVIDIA driver (550 or newer), then restart the computer.', command: 'sudo ubuntu-drivers install' };
  }
  return { text: 'Install NVIDIA driver 550.54.14 or newer (https://www.nvidia.com/drivers or your distribution), then restart the computer.' };
}

const DESCRIBERS: Record<DockerProblem, (ctx: FixContext) => ProblemDescription> = {
  daemon_missing: (ctx) => ({ kind: 'docker_unreachable', message: 'Docker is not running on this computer.', fix: startDocker(ctx) }),
  daemon_stopped: (ctx) => ({
    kind: 'docker_unreachable',
    message: 'Docker was running earlier but has stopped.',
    fix: isDesktop(ctx)
      ? { text: 'Quit Docker Desktop and start it again.' }
      : ctx.flavor === 'rootless'
        ? { text: 'Restart your rootless Docker Engine.', command: 'systemctl --user restart docker' }
        : { text: 'Restart the Docker Engine.', command: 'sudo systemctl restart docker' },
  }),
  daemon_unresponsive: (ctx) => ({
    kind: 'docker_unreachable',
    message: 'Docker is not answering (it may still be starting, or it is stuck).',
    fix: isDesktop(ctx)
      ? { text: 'Wait a minute; if it stays like this, restart Docker Desktop.' }
      : { text: 'Wait a minute; if it stays like this, restart the Docker Engine.', command: 'sudo systemctl restart docker' },
  }),
  permission_denied: (ctx) => ({
    kind: 'docker_permission',
    message: 'Docker is running, but your user account is not allowed to use it.',
    fix:
      ctx.host.os === 'win32'
        ? { text: 'Add yourself to the "docker-users" group (as administrator), then sign out and back in.', command: 'net localgroup docker-users %USERNAME% /add' }
        : { text: 'Add yourself to the docker group, then log out and back in (or restart the computer).', command: 'sudo usermod -aG docker $USER' },
  }),
  engine_too_old: () => ({
    kind: 'docker_error',
    message: 'This Docker is too old: DeiT Studio needs Docker 19.03 or newer (API 1.40) to give containers a GPU.',
    fix: { text: 'Update Docker (https://docs.docker.com/engine/install/ or the latest Docker Desktop).' },
  }),
  gpu_toolkit_missing: (ctx) => ({
    kind: 'gpu_unavailable',
    message: 'Docker cannot give containers your NVIDIA GPU: the NVIDIA Container Toolkit is missing or not set up.',
    fix: installToolkit(ctx),
  }),
  gpu_runtime_missing: (ctx) => ({
    kind: 'gpu_unavailable',
    message: 'Docker does not know the "nvidia" runtime: the NVIDIA Container Toolkit is not registered with Docker.',
    fix: installToolkit(ctx),
  }),
  gpu_driver_too_old: (ctx) => ({
    kind: 'gpu_unavailable',
    message: 'Your NVIDIA driver is too old for the CUDA 12.4 training image.',
    fix: driverUpdate(ctx),
  }),
  gpu_cdi_missing: () => ({
    kind: 'gpu_unavailable',
    message: 'Docker is set to find GPUs through CDI, but no CDI description of your GPUs exists.',
    fix: { text: 'Generate the CDI description of your GPUs, then restart Docker.', command: 'sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml && sudo systemctl restart docker' },
  }),
  gpu_driver_not_loaded: () => ({
    kind: 'gpu_unavailable',
    message: 'The NVIDIA driver is installed but not loaded.',
    fix: {
      text: 'Restart the computer. If it still fails and Secure Boot is on, the driver must be signed (enroll its key when asked during install) or Secure Boot turned off.',
    },
  }),
  gpu_driver_missing: (ctx) => ({
    kind: 'gpu_unavailable',
    message: 'No NVIDIA driver was found on this computer.',
    fix: driverUpdate(ctx),
  }),
  gpu_driver_mismatch: () => ({
    kind: 'gpu_unavailable',
    message: 'The NVIDIA driver was updated but the old one is still loaded.',
    fix: { text: 'Restart the computer to finish the driver update.' },
  }),
  disk_full: () => ({
    kind: 'disk_full',
    message: 'The disk that Docker uses is full.',
    fix: { text: 'Free some space (for example remove unused Docker images), then try again.', command: 'docker system prune' },
  }),
  rate_limited: () => ({
    kind: 'docker_error',
    message: 'Docker Hub refused the download: too many downloads from this network recently.',
    fix: { text: 'Sign in to Docker Hub (a free account raises the limit), or wait a few hours and try again.', command: 'docker login' },
  }),
  image_not_found: () => ({
    kind: 'not_found',
    message: 'The image was not found in its registry.',
    fix: { text: 'Check the image name; if it is right, the registry may need you to sign in.', command: 'docker login' },
  }),
  registry_unreachable: () => ({
    kind: 'docker_error',
    message: 'Docker could not reach the image registry (no internet connection, or a proxy or firewall in the way).',
    fix: { text: 'Check the internet connection. Behind a proxy, set Docker\'s proxy (https://docs.docker.com/engine/daemon/proxy/) and try again.' },
  }),
  tls_untrusted: (ctx) => ({
    kind: 'docker_error',
    message:
      'Something on your network (a company proxy or security software) intercepts secure downloads with its own certificate, which Docker or the build does not trust.',
    fix:
      ctx.host.os === 'linux' && !ctx.host.wsl
        ? {
            text: "Add your organisation's CA certificate to this computer's trusted certificates (as a .crt file), restart Docker, then try again.",
            command: 'sudo cp your-ca.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates && sudo systemctl restart docker',
          }
        : { text: "Add your organisation's CA certificate in Docker Desktop (Settings → Docker Engine, or your system's certificate store), restart Docker Desktop, then try again." },
  }),
  dockerfile_invalid: () => ({
    kind: 'internal',
    message: "The training image's recipe (Dockerfile) is invalid: this is a bug in DeiT Studio.",
    fix: { text: 'Reinstall or update DeiT Studio, and report this with the detail below.' },
  }),
  build_step_failed: () => ({
    kind: 'docker_error',
    message: 'Building the training image failed at one of its steps.',
    fix: { text: 'Check the internet connection (the build downloads Python packages) and try again; the detail shows the failing step.' },
  }),
  cancelled: () => ({ kind: 'cancelled', message: 'Cancelled.', fix: { text: 'Start it again when you are ready.' } }),
  not_found: () => ({ kind: 'not_found', message: 'The container is gone.', fix: { text: 'Refresh the view.' } }),
  unknown: () => ({
    kind: 'docker_error',
    message: 'Docker reported an error.',
    fix: { text: 'Try again. If it keeps happening, restart Docker and report the detail below.' },
  }),
};

/** The message and fix for a problem on this host. */
export function describeDockerProblem(problem: DockerProblem, ctx: FixContext): ProblemDescription {
  return DESCRIBERS[problem](ctx);
}

/** A fix as one line for `AppError.fix`: the text, then the command to copy. */
export function fixLine(fix: Fix): string {
  return fix.command ? `${fix.text} Run: ${fix.command}` : fix.text;
}

/** The typed error for a classified Docker failure; `message` overrides the generic sentence. */
export function dockerProblemError(classified: ClassifiedDockerError, ctx: FixContext, message?: string): AppError {
  const described = describeDockerProblem(classified.problem, ctx);
  return new AppError(described.kind, message ?? described.message, {
    fix: fixLine(described.fix),
    detail: classified.text,
  });
}
