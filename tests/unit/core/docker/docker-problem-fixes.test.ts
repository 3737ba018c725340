import { describe, expect, it } from 'vitest';
import { describeDockerProblem, fixLine, type FixContext } from '../../../../electron/core/docker/docker-problem-fixes';

const linux = (distroId: string, distroLike: string[] = []): FixContext['host'] => ({ os: 'linux', distroId, distroLike, wsl: false });

describe('fixes for this OS', () => {
  it('installs the toolkit with apt on Ubuntu and Debian, dnf on Fedora, pacman on Arch', () => {
    const fix = (host: FixContext['host']) => describeDockerProblem('gpu_toolkit_missing', { host, flavor: 'engine' }).fix.command;
    expect(fix(linux('ubuntu', ['debian']))).toMatch(/apt-get install -y nvidia-container-toolkit.*nvidia-ctk runtime configure --runtime=docker.*systemctl restart docker/);
    expect(fix(linux('debian'))).toMatch(/apt-get/);
    expect(fix(linux('fedora'))).toMatch(/dnf install -y nvidia-container-toolkit/);
    expect(fix(linux('arch'))).toMatch(/pacman -S --needed nvidia-container-toolkit/);
    expect(fix(linux('gentoo'))).toBe('sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker');
  });

  it('explains that Docker Desktop for Linux cannot pass GPUs, and how to switch', () => {
    const { fix } = describeDockerProblem('gpu_toolkit_missing', { host: linux('ubuntu'), flavor: 'desktop' });
    expect(fix.text).toMatch(/Docker Desktop for Linux cannot/);
    expect(fix.command).toBe('docker context use default');
  });

  it('points Windows and WSL users at the WSL 2 engine instead of a Linux package', () => {
    const win = describeDockerProblem('gpu_toolkit_missing', { host: { os: 'win32', distroId: null, distroLike: [], wsl: false }, flavor: 'desktop' });
    expect(win.fix.text).toMatch(/WSL 2/);
    expect(win.fix.command).toBeUndefined();
    const wsl = describeDockerProblem('daemon_missing', { host: { ...linux('ubuntu'), wsl: true }, flavor: 'unknown' });
    expect(wsl.fix.text).toMatch(/WSL integration/);
  });

  it('tells a user outside the docker group exactly what to run', () => {
    const { kind, fix } = describeDockerProblem('permission_denied', { host: linux('ubuntu'), flavor: 'engine' });
    expect(kind).toBe('docker_permission');
    expect(fix.command).toBe('sudo usermod -aG docker $USER');
    expect(fix.text).toMatch(/log out and back in/);
  });

  it('starts the engine with systemctl on Linux, Docker Desktop on macOS, the user unit for rootless', () => {
    expect(describeDockerProblem('daemon_missing', { host: linux('ubuntu'), flavor: 'engine' }).fix.command).toBe('sudo systemctl enable --now docker');
    expect(describeDockerProblem('daemon_missing', { host: { os: 'darwin', distroId: null, distroLike: [], wsl: false }, flavor: 'desktop' }).fix.command).toBe('open -a Docker');
    expect(describeDockerProblem('daemon_stopped', { host: linux('ubuntu'), flavor: 'rootless' }).fix.command).toBe('systemctl --user restart docker');
  });

  it('joins text and command into one line for AppError.fix', () => {
    expect(fixLine({ text: 'Do this.', command: 'cmd' })).toBe('Do this. Run: cmd');
    expect(fixLine({ text: 'Do this.' })).toBe('Do this.');
  });
});
