import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import si from 'systeminformation';
import type { GpuInfo, SystemSummary } from '../../contract';
import type { NvidiaSmi } from './nvidia-smi';
import { readNvidiaDriver } from './read-nvidia-driver';

/**
 * A one-time inventory of this machine. systeminformation's graphics() runs nvidia-smi
 * synchronously, so this is called on demand, never on a timer (see docs/engine-environment.md).
 * With `smi`, NVIDIA GPUs get their driver version from nvidia-smi (systeminformation often leaves it
 * empty, and lists no GPU at all without lspci).
 */
export async function readSystemSummary(dataDir: string, smi?: NvidiaSmi): Promise<SystemSummary> {
  const [osInfo, cpu, mem, graphics, disk, driver] = await Promise.all([
    si.osInfo(),
    si.cpu(),
    si.mem(),
    si.graphics().catch(() => ({ controllers: [] as si.Systeminformation.GraphicsControllerData[] })),
    freeDisk(dataDir),
    smi ? readNvidiaDriver(smi) : Promise.resolve(null),
  ]);
  return {
    os: {
      platform: osInfo.platform || os.platform(),
      distro: osInfo.distro || 'unknown',
      release: osInfo.release || os.release(),
      arch: osInfo.arch || os.arch(),
      hostname: osInfo.hostname || os.hostname(),
    },
    cpu: {
      brand: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ') || 'unknown',
      cores: cpu.cores || os.cpus().length,
      physicalCores: cpu.physicalCores || cpu.cores || os.cpus().length,
    },
    memory: { totalBytes: mem.total, availableBytes: mem.available },
    disk,
    gpus: withDriverVersion(graphics.controllers.filter(isGpu).map(toGpuInfo), driver),
  };
}

/** Fills NVIDIA driver versions from nvidia-smi; lists nvidia-smi's GPUs when systeminformation found none. */
function withDriverVersion(gpus: GpuInfo[], driver: Awaited<ReturnType<typeof readNvidiaDriver>> | null): GpuInfo[] {
  if (driver?.state !== 'ok') return gpus;
  if (!gpus.some((g) => /nvidia/i.test(`${g.vendor} ${g.name}`))) {
    const nvidia = driver.gpus.map((g) => ({
      name: g.name,
      vendor: 'NVIDIA',
      memoryBytes: g.memoryMiB === null ? null : g.memoryMiB * 1024 * 1024,
      driverVersion: g.driverVersion,
    }));
    return [...gpus, ...nvidia];
  }
  return gpus.map((g) =>
    /nvidia/i.test(`${g.vendor} ${g.name}`) && !g.driverVersion ? { ...g, driverVersion: driver.driverVersion } : g,
  );
}

function isGpu(c: si.Systeminformation.GraphicsControllerData): boolean {
  return Boolean(c.model || c.name);
}

function toGpuInfo(c: si.Systeminformation.GraphicsControllerData): GpuInfo {
  const vramMiB = c.memoryTotal ?? c.vram ?? null;
  return {
    name: c.name || c.model,
    vendor: c.vendor || 'unknown',
    memoryBytes: vramMiB ? vramMiB * 1024 * 1024 : null,
    driverVersion: c.driverVersion || null,
  };
}

/** Free space on the file system that holds `dir` (or its nearest existing parent). */
export async function freeDisk(dir: string): Promise<SystemSummary['disk']> {
  let probe = dir;
  for (;;) {
    try {
      const s = await fs.statfs(probe);
      return { path: dir, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch {
      const parent = path.dirname(probe);
      if (parent === probe) return { path: dir, freeBytes: null, totalBytes: null };
      probe = parent;
    }
  }
}
