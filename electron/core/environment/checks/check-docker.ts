import { AppError, type EnvironmentCheck } from '../../../contract';
import { DockerConnectError, type ConnectedDocker } from '../../docker/connect';
import { describeDockerProblem } from '../../docker/docker-problem-fixes';

const TITLE = 'Docker';

/** The doctor's Docker line: which engine answered where, or why none did and what to do. */
export function checkDocker(result: ConnectedDocker | unknown): EnvironmentCheck {
  if (result && typeof result === 'object' && 'engine' in result) {
    const { engine, endpoint, flavor } = result as ConnectedDocker;
    const kind =
      flavor === 'desktop'
        ? /WSL2|microsoft/i.test(engine.kernelVersion)
          ? 'Docker Desktop (WSL 2)'
          : 'Docker Desktop'
        : flavor === 'rootless'
          ? 'Docker Engine (rootless)'
          : 'Docker Engine';
    return {
      id: 'docker',
      title: TITLE,
      status: 'ok',
      message: `${kind} ${engine.serverVersion} (API ${engine.apiVersion}) answers at ${endpoint.host.replace(/^unix:\/\//, '')}.`,
      detail: `${engine.operatingSystem}; kernel ${engine.kernelVersion}; runtimes: ${engine.runtimes.join(', ') || 'none'}`,
    };
  }
  if (result instanceof DockerConnectError) {
    const { message, fix } = describeDockerProblem(result.problem, result.fixContext);
    const check: EnvironmentCheck = { id: 'docker', title: TITLE, status: 'blocking', message, fix };
    if (result.detail) check.detail = result.detail;
    return check;
  }
  if (result instanceof AppError) {
    // A server's engine over SSH: the SSH or Docker error already says what to do (engines/engine-errors.ts).
    const check: EnvironmentCheck = { id: 'docker', title: TITLE, status: 'blocking', message: result.message };
    if (result.fix) check.fix = { text: result.fix };
    if (result.detail) check.detail = result.detail;
    return check;
  }
  const detail = result instanceof Error ? result.message : String(result);
  return {
    id: 'docker',
    title: TITLE,
    status: 'blocking',
    message: 'DeiT Studio could not talk to Docker.',
    fix: { text: 'Restart Docker and check again.' },
    detail,
  };
}
