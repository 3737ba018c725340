import { describe, expect, it } from 'vitest';
import { classifyDaemonText, classifyDockerError, dockerErrorText } from '../../../../electron/core/docker/classify-docker-error';
import { describeDockerProblem, dockerProblemError } from '../../../../electron/core/docker/docker-problem-fixes';
import type { HostPlatform } from '../../../../electron/core/environment/host-platform';
import { readFixture } from '../../../helpers/fixtures';

interface RecordedError {
  name: string;
  source: string;
  problem: string;
  error: { message: string; statusCode?: number; json?: { message: string }; code?: string; syscall?: string };
}

const recorded = JSON.parse(readFixture('docker', 'daemon-errors.json')) as RecordedError[];
const ubuntu: HostPlatform = { os: 'linux', distroId: 'ubuntu', distroLike: ['debian'], wsl: false };

/** Rebuilds what dockerode throws: an Error with the recorded fields. */
function asThrown(error: RecordedError['error']): Error {
  return Object.assign(new Error(error.message), error);
}

describe('classifyDockerError on recorded daemon texts', () => {
  it.each(recorded.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    expect(classifyDockerError(asThrown(r.error)).problem).toBe(r.problem);
  });

  it('covers every GPU failure the doctor must tell apart', () => {
    const problems = new Set(recorded.map((r) => r.problem));
    for (const p of ['gpu_toolkit_missing', 'gpu_driver_too_old', 'gpu_cdi_missing', 'gpu_driver_not_loaded', 'gpu_driver_missing']) {
      expect(problems).toContain(p);
    }
  });
});

describe('dockerErrorText', () => {
  it("prefers the daemon's JSON message over dockerode's wrapper text", () => {
    const error = asThrown({ message: '(HTTP code 500) server error - x ', json: { message: 'could not select device driver' } });
    expect(dockerErrorText(error)).toBe('could not select device driver');
  });

  it('strips the "(HTTP code N) reason -" prefix when there is no JSON body', () => {
    expect(dockerErrorText(new Error('(HTTP code 404) no such image - no such image: x '))).toBe('no such image: x');
  });
});

describe('classification details', () => {
  it('treats ENOENT outside a socket connect as unknown, not "Docker missing"', () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open '/x/Dockerfile'"), { code: 'ENOENT', syscall: 'open' });
    expect(classifyDockerError(error).problem).toBe('unknown');
  });

  it('reports an abort as cancelled', () => {
    expect(classifyDockerError(new DOMException('The operation was aborted', 'AbortError')).problem).toBe('cancelled');
  });

  it('prefers disk full over the generic words around it', () => {
    expect(classifyDaemonText('failed to register layer: Error processing tar file(exit status 1): write /opt/conda/lib/x.so: no space left on device')).toBe('disk_full');
  });

  it('keeps the HTTP status code', () => {
    expect(classifyDockerError(asThrown(recorded[0]!.error)).statusCode).toBe(500);
  });
});

describe('the typed error for a classified failure', () => {
  it('gives the toolkit-missing case a plain message, the install command and the raw text as detail', () => {
    const gpu = recorded.find((r) => r.problem === 'gpu_toolkit_missing')!;
    const error = dockerProblemError(classifyDockerError(asThrown(gpu.error)), { host: ubuntu, flavor: 'engine' });
    expect(error.kind).toBe('gpu_unavailable');
    expect(error.message).toMatch(/NVIDIA Container Toolkit/);
    expect(error.fix).toMatch(/apt-get install -y nvidia-container-toolkit/);
    expect(error.detail).toBe('could not select device driver "" with capabilities: [[gpu]]');
    expect(error.message).not.toMatch(/at \w+ \(|HTTP code/);
  });

  it('maps every problem to a message and a fix, never empty', () => {
    const problems = [...new Set(recorded.map((r) => r.problem))];
    for (const problem of problems) {
      const described = describeDockerProblem(problem as never, { host: ubuntu, flavor: 'engine' });
      expect(described.message.length).toBeGreaterThan(10);
      expect(described.fix.text.length).toBeGreaterThan(10);
    }
  });
});
