import type { EnvironmentCheck } from '../../../contract';
import { describeDockerProblem, type FixContext } from '../../docker/docker-problem-fixes';
import type { GpuProbeResult } from '../../docker/gpu-probe';

const TITLE = 'GPU access from containers';

/** Why the probe was not run. */
export type ProbeSkip = 'mac' | 'no-docker' | 'no-driver';

const SKIPS: Record<ProbeSkip, string> = {
  mac: 'Macs have no NVIDIA GPU: containers run training on the CPU.',
  'no-docker': 'Checked once Docker works.',
  'no-driver': 'Checked once the NVIDIA driver works.',
};

/** The doctor's line for the probe container: the GPU request training makes, tried for real. */
export function checkGpuContainer(result: GpuProbeResult | ProbeSkip, ctx: FixContext): EnvironmentCheck {
  if (typeof result === 'string')
    return { id: 'gpu-container', title: TITLE, status: 'skipped', message: SKIPS[result] };
  if (result.ok) {
    return {
      id: 'gpu-container',
      title: TITLE,
      status: 'ok',
      message: 'Containers can use the NVIDIA GPU (a test container received it).',
    };
  }
  const { problem, text } = result.failure;
  const { message, fix } = describeDockerProblem(problem, ctx);
  if (problem === 'unknown' || problem === 'daemon_unresponsive') {
    return {
      id: 'gpu-container',
      title: TITLE,
      status: 'warning',
      message: `DeiT Studio could not confirm that containers can use the GPU. ${message}`,
      fix,
      detail: text,
    };
  }
  return { id: 'gpu-container', title: TITLE, status: 'blocking', message, fix, detail: text };
}
