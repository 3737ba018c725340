import { describe, expect, it } from 'vitest';
import { classifyDialFailure, classifySshError } from '../../../../electron/core/engines/engine-errors';

// What the server's `docker system dial-stdio` writes when it cannot reach its engine (Docker CLI 20-27),
// and ssh2's connection errors, each mapped to a kind and a fix.
const target = { user: 'ada', host: 'gpu1.lab', port: 22 };

describe('Docker on the server', () => {
  it('exit 127: Docker is not installed', () => {
    const error = classifyDialFailure(target, 127, 'bash: line 1: docker: command not found\n');
    expect(error.kind).toBe('docker_unreachable');
    expect(error.fix).toContain('Install Docker Engine on the server');
  });

  it('permission denied on the socket: the docker group', () => {
    const error = classifyDialFailure(
      target,
      1,
      'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/_ping": dial unix /var/run/docker.sock: connect: permission denied',
    );
    expect(error.kind).toBe('docker_permission');
    expect(error.fix).toContain('sudo usermod -aG docker ada');
  });

  it('the engine does not answer: start it', () => {
    const error = classifyDialFailure(
      target,
      1,
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    );
    expect(error.kind).toBe('docker_unreachable');
    expect(error.fix).toContain('sudo systemctl start docker');
  });
});

describe('SSH connection errors', () => {
  it('DNS, refused port, timeout, refused key', () => {
    const dns = classifySshError(
      Object.assign(new Error('getaddrinfo ENOTFOUND gpu1.lab'), { code: 'ENOTFOUND' }),
      target,
      [],
    );
    expect([dns.kind, dns.message]).toEqual([
      'ssh_unreachable',
      "The name gpu1.lab is not known to this computer's name service (DNS).",
    ]);
    const port = classifySshError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', level: 'client-socket' }),
      target,
      [],
    );
    expect(port.message).toContain('gpu1.lab:22');
    const slow = classifySshError(
      Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' }),
      target,
      [],
    );
    expect(slow.message).toBe('gpu1.lab:22 did not answer in time.');
    const refused = classifySshError(
      Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }),
      target,
      ['ssh-agent', '~/.ssh/id_ed25519'],
    );
    expect(refused.kind).toBe('ssh_refused');
    expect(refused.message).toBe('ada@gpu1.lab refused the keys DeiT Studio tried: ssh-agent, ~/.ssh/id_ed25519.');
    expect(refused.fix).toContain('ssh-copy-id ada@gpu1.lab');
    const none = classifySshError(Object.assign(new Error('x'), { level: 'client-authentication' }), target, []);
    expect(none.message).toContain('found no SSH key');
  });
});
