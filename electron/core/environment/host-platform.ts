import fs from 'node:fs/promises';
import os from 'node:os';

/** Which operating system this is, in the detail that changes the fixes we show. */
export interface HostPlatform {
  os: 'linux' | 'darwin' | 'win32' | 'other';
  /** `ID` of /etc/os-release (ubuntu, debian, fedora, arch, …); null off Linux or when unknown. */
  distroId: string | null;
  /** `ID_LIKE` of /etc/os-release, split (e.g. ['debian'] on Ubuntu). */
  distroLike: string[];
  /** Linux running inside Windows' WSL 2: the NVIDIA driver is the Windows one. */
  wsl: boolean;
}

/** The package family of a Linux distribution, which decides the install commands. */
export type PackageFamily = 'apt' | 'dnf' | 'zypper' | 'pacman' | 'unknown';

/** Reads this machine's platform (os-release path injectable for tests). */
export async function readHostPlatform(
  options: { platform?: NodeJS.Platform; release?: string; osReleasePath?: string } = {},
): Promise<HostPlatform> {
  const platform = options.platform ?? process.platform;
  const kind = platform === 'linux' || platform === 'darwin' || platform === 'win32' ? platform : 'other';
  if (kind !== 'linux') return { os: kind, distroId: null, distroLike: [], wsl: false };
  const release = options.release ?? os.release();
  let text = '';
  try {
    text = await fs.readFile(options.osReleasePath ?? '/etc/os-release', 'utf8');
  } catch {
    // No os-release (minimal containers): distro unknown, generic fixes.
  }
  const fields = parseOsRelease(text);
  return {
    os: 'linux',
    distroId: fields.ID?.toLowerCase() ?? null,
    distroLike: (fields.ID_LIKE ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    wsl: /microsoft|wsl/i.test(release),
  };
}

/** Parses /etc/os-release (KEY=value lines, values optionally quoted). */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match?.[1]) continue;
    fields[match[1]] = (match[2] ?? '').replace(/^["']|["']$/g, '');
  }
  return fields;
}

/** The package manager family of a Linux host, from its os-release ids. */
export function packageFamily(host: HostPlatform): PackageFamily {
  const ids = [host.distroId ?? '', ...host.distroLike];
  if (ids.some((id) => ['debian', 'ubuntu', 'linuxmint', 'pop'].includes(id))) return 'apt';
  if (ids.some((id) => ['fedora', 'rhel', 'centos', 'rocky', 'almalinux'].includes(id))) return 'dnf';
  if (ids.some((id) => ['opensuse', 'suse', 'sles', 'opensuse-leap', 'opensuse-tumbleweed'].includes(id))) {
    return 'zypper';
  }
  if (ids.some((id) => ['arch', 'manjaro', 'endeavouros'].includes(id))) return 'pacman';
  return 'unknown';
}
