import type Dockerode from 'dockerode';
import { readHostPlatform, type HostPlatform } from '../environment/host-platform';
import type { FixContext } from './docker-problem-fixes';

let cachedHost: Promise<HostPlatform> | null = null;

/** This machine's platform, read once. */
export function hostPlatform(): Promise<HostPlatform> {
  cachedHost ??= readHostPlatform();
  return cachedHost;
}

/** What the fixes for this engine depend on: the OS and whether it is Docker Desktop or rootless. */
export async function engineFixContext(docker: Dockerode | null): Promise<FixContext> {
  const host = await hostPlatform();
  if (!docker) return { host, flavor: 'unknown' };
  try {
    const info = (await docker.info()) as { OperatingSystem?: string; SecurityOptions?: string[] };
    if (/docker desktop/i.test(info.OperatingSystem ?? '')) return { host, flavor: 'desktop' };
    if ((info.SecurityOptions ?? []).some((s) => s.includes('name=rootless'))) return { host, flavor: 'rootless' };
    return { host, flavor: 'engine' };
  } catch {
    return { host, flavor: 'unknown' };
  }
}
