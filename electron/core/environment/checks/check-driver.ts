import type { EnvironmentCheck } from '../../../contract';
import { describeDockerProblem } from '../../docker/docker-problem-fixes';
import { CUDA_12_4_DRIVER, judgeDriver } from '../driver-requirements';
import type { HostPlatform } from '../host-platform';
import type { DetectedGpu } from '../parse-nvidia-smi';
import type { DriverReading } from '../read-nvidia-driver';

const TITLE = 'NVIDIA driver';

/** "NVIDIA H100 80GB HBM3 (80 GiB)" and friends, for one line. */
export function describeGpus(gpus: readonly DetectedGpu[]): string {
  const names = gpus.map((g) => (g.memoryMiB === null ? g.name : `${g.name} (${Math.round(g.memoryMiB / 1024)} GiB)`));
  return `${gpus.length} GPU${gpus.length === 1 ? '' : 's'}: ${names.join(', ')}`;
}

function judge(version: string, host: HostPlatform, gpus: string): EnvironmentCheck {
  const family = host.os === 'win32' || host.wsl ? 'windows' : 'linux';
  const limits = CUDA_12_4_DRIVER[family];
  const fix = describeDockerProblem('gpu_driver_too_old', { host, flavor: 'unknown' }).fix;
  const verdict = judgeDriver(version, family);
  if (verdict === 'ok')
    return { id: 'driver', title: TITLE, status: 'ok', message: `NVIDIA driver ${version}${gpus}.` };
  if (verdict === 'compat') {
    return {
      id: 'driver',
      title: TITLE,
      status: 'warning',
      message: `NVIDIA driver ${version}${gpus} runs the CUDA 12.4 image only in compatibility mode; some features (such as compiling the model) may fail. Version ${limits.full} or newer supports it fully.`,
      fix,
    };
  }
  return {
    id: 'driver',
    title: TITLE,
    status: 'blocking',
    message: `NVIDIA driver ${version}${gpus} is too old for the CUDA 12.4 training image (it needs ${limits.full} or newer).`,
    fix,
  };
}

/** The doctor's driver line: present, loaded, new enough for CUDA 12.4, and which GPUs it sees. */
export function checkDriver(reading: DriverReading, host: HostPlatform): EnvironmentCheck {
  if (host.os === 'darwin') {
    return {
      id: 'driver',
      title: TITLE,
      status: 'skipped',
      message: 'Macs have no NVIDIA GPU, so training runs on the CPU here (slow, but it works for small datasets).',
    };
  }
  const fixes = (problem: 'gpu_driver_missing' | 'gpu_driver_not_loaded' | 'gpu_driver_mismatch') =>
    describeDockerProblem(problem, { host, flavor: 'unknown' }).fix;
  switch (reading.state) {
    case 'ok':
      return judge(reading.driverVersion, host, ` — ${describeGpus(reading.gpus)}`);
    case 'missing':
      if (reading.procVersion) {
        const check = judge(reading.procVersion, host, '');
        if (check.status !== 'ok') return check;
        return {
          ...check,
          status: 'warning',
          message: `${check.message} The nvidia-smi tool is missing, so GPU use cannot be shown.`,
          fix: { text: "Install your driver's utilities package (for example nvidia-utils)." },
        };
      }
      return {
        id: 'driver',
        title: TITLE,
        status: 'blocking',
        message:
          'No NVIDIA driver or GPU was found on this machine. Training on a GPU needs an NVIDIA GPU and its driver; without them DeiT Studio trains on the CPU (slow).',
        fix: fixes('gpu_driver_missing'),
      };
    case 'not_loaded':
      return {
        id: 'driver',
        title: TITLE,
        status: 'blocking',
        message: 'The NVIDIA driver is installed but not loaded.',
        fix: fixes('gpu_driver_not_loaded'),
        detail: reading.detail,
      };
    case 'mismatch':
      return {
        id: 'driver',
        title: TITLE,
        status: 'blocking',
        message: 'The NVIDIA driver was updated, but the old one is still running.',
        fix: fixes('gpu_driver_mismatch'),
        detail: reading.detail,
      };
    case 'no_gpu':
      return {
        id: 'driver',
        title: TITLE,
        status: 'blocking',
        message: 'The NVIDIA driver is loaded but finds no GPU.',
        fix: {
          text: 'Restart the computer. If the GPU is still missing, check that it is seated and its power cables are connected.',
        },
        detail: reading.detail,
      };
    case 'failed':
      return {
        id: 'driver',
        title: TITLE,
        status: 'blocking',
        message: 'The NVIDIA driver did not answer properly.',
        fix: { text: 'Restart the computer; if it keeps happening, reinstall the NVIDIA driver.' },
        detail: reading.detail,
      };
  }
}
